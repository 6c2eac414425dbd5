"""Checks for uploaded photos and files: type by name *and* content, bounded size."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.files import FILE_TYPES, content_matches, extension

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED = ("pdf", "jpg", "jpeg", "png", "xlsx", "docx")


def checked_content_type(upload) -> str:
    """The content type of an acceptable upload; ValidationError naming the file otherwise."""
    name = PurePath(upload.name or "").name
    suffix = extension(name)
    if suffix not in ACCEPTED:
        raise ValidationError(
            _("%(name)s: only PDF, JPEG, PNG, Excel (.xlsx) and Word (.docx) files are accepted."),
            code="file_type",
            params={"name": name},
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s."),
            code="file_size",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
        )
    file_type = FILE_TYPES[suffix]
    if not content_matches(upload, file_type):
        raise ValidationError(
            _("%(name)s does not look like a %(type)s file."),
            code="file_content",
            params={"name": name, "type": suffix.upper()},
        )
    return file_type.content_type
