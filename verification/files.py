"""Evidence files: what is accepted (by extension AND by content), and their SHA-256."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from baotou_carbon.core.files import FILE_TYPES, content_matches, extension

# extension → the kind stored with the file
KINDS = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "xlsx": "xlsx"}


def validate_evidence_file(upload: UploadedFile, *, max_bytes: int) -> str:
    """The file's kind, or a ValidationError saying why it is refused."""
    name = upload.name or ""
    suffix = extension(name)
    kind = KINDS.get(suffix)
    if kind is None:
        raise ValidationError(
            _("“%(name)s”: only PDF, PNG, JPEG and Excel (.xlsx) files are accepted.")
            % {"name": name}
        )
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": max_bytes // 2**20}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    if not content_matches(upload, FILE_TYPES[suffix]):
        raise ValidationError(
            _("“%(name)s” is not really a %(kind)s file.") % {"name": name, "kind": kind.upper()}
        )
    return kind


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
