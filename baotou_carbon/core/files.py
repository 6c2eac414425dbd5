"""One way to keep an uploaded file: what it really is, its SHA-256, the model a stored file
derives from, the form field for several files at once, and the one response that serves a
stored file once its permission getter has let the user through.

What a file is: its extension decides the type claimed, its first bytes (and, for a workbook,
its contents) must bear the claim out. The browser's content type is never trusted. Each app
chooses which types it accepts, how large a file may be and how it words a refusal."""

import hashlib
import uuid
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Self

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files import File
from django.db import models
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What a file is ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    kind: str  # the format's short name, as stored with a file: "pdf", "jpeg", ...
    content_type: str
    signatures: tuple[bytes, ...]
    zip_member: str = ""  # a zip-based format that must contain this member


ZIP = (b"PK\x03\x04",)
JPEG = FileType("jpeg", "image/jpeg", (b"\xff\xd8\xff",))

# By lower-case extension, without the dot.
FILE_TYPES = {
    "pdf": FileType("pdf", "application/pdf", (b"%PDF-",)),
    "png": FileType("png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": JPEG,
    "jpeg": JPEG,
    "xlsx": FileType(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        zip_member="xl/workbook.xml",
    ),
    "docx": FileType(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP
    ),
}


def extension(name: str | None) -> str:
    """'Report.PDF' → 'pdf'; '' when there is none."""
    return PurePath(name or "").suffix.lower().lstrip(".")


def content_matches(upload, file_type: FileType) -> bool:
    """Whether the upload's bytes are of `file_type`; the file is left at its start."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in file_type.signatures):
        return False
    if not file_type.zip_member:
        return True
    try:
        with zipfile.ZipFile(upload) as archive:
            return file_type.zip_member in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def sha256_of(file: File) -> str:
    """The SHA-256 of a file's bytes, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


# Checking an upload --------------------------------------------------------------------------

Wording = Mapping[str, "StrOrPromise"]

# By error code. An app passes its own wording for any of these to check_upload.
UPLOAD_MESSAGES: Wording = {
    "file_type": _("%(name)s: files of this type are not accepted."),
    "file_size": _("%(name)s is %(size)s; the limit is %(limit)s."),
    "file_empty": _("%(name)s is empty."),
    "file_content": _("%(name)s does not look like a %(type)s file."),
}


def check_upload(
    upload: File, *, accepted: Collection[str], max_bytes: int, messages: Wording | None = None
) -> FileType:
    """The type of an acceptable upload: its extension is one of `accepted`, it is neither
    empty nor larger than `max_bytes`, and its bytes are what the extension claims.

    Otherwise a ValidationError naming the file, coded file_type, file_size, file_empty or
    file_content and worded by `messages` (UPLOAD_MESSAGES for a code it leaves out). A message
    may use %(name)s, %(type)s (the extension: "JPG"), %(kind)s (the format: "JPEG"),
    %(size)s and %(limit)s (readable sizes) and %(mb)s (the limit in whole MB)."""
    name = PurePath(upload.name or "").name
    suffix = extension(name)
    file_type = FILE_TYPES.get(suffix) if suffix in accepted else None
    size = upload.size
    wording = {**UPLOAD_MESSAGES, **(messages or {})}
    params = {
        "name": name,
        "type": suffix.upper(),
        "kind": (file_type.kind if file_type else suffix).upper(),
        "size": filesizeformat(size or 0),
        "limit": filesizeformat(max_bytes),
        "mb": max_bytes // 2**20,
    }

    def refusal(code: str) -> ValidationError:
        return ValidationError(wording[code], code=code, params=params)

    if file_type is None:
        raise refusal("file_type")
    if size is None or size > max_bytes:
        raise refusal("file_size")
    if size == 0:
        raise refusal("file_empty")
    if not content_matches(upload, file_type):
        raise refusal("file_content")
    return file_type


# Several files in one input ------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's file-upload documentation), cleaned
    to a list; each file is checked by check_upload against `accepted` and `max_bytes` (a form
    may set `max_bytes` once it knows it), and every refused file is named."""

    widget = MultipleFileInput
    default_error_messages = {"required": _("Choose at least one file.")}

    def __init__(
        self,
        *,
        accepted: Collection[str],
        max_bytes: int | None = None,
        messages: Wording | None = None,
        **kwargs: Any,
    ) -> None:
        self.accepted = tuple(accepted)
        self.max_bytes = max_bytes
        self.messages = messages
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)  # check_upload names the empty file
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        types = [FILE_TYPES[suffix].content_type for suffix in self.accepted]
        attrs.setdefault(
            "accept",
            ",".join([f".{suffix}" for suffix in self.accepted] + list(dict.fromkeys(types))),
        )
        return attrs

    def clean(self, data: Any, initial: Any = None) -> list[File]:
        uploads = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if self.max_bytes is None:
            raise ImproperlyConfigured("MultipleFileField needs max_bytes before it cleans.")
        cleaned: list[File] = []
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                upload = super().clean(upload, initial)
                check_upload(
                    upload, accepted=self.accepted, max_bytes=self.max_bytes, messages=self.messages
                )
            except ValidationError as error:
                errors.extend(error.error_list)
            else:
                cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


# Keeping and serving a file ------------------------------------------------------------------


def stored_file_upload_to(instance: "StoredFile", filename: str) -> str:
    """Where a new file's bytes go under MEDIA_ROOT: as its model's `upload_to` says."""
    return instance.upload_to(filename)


class StoredFile(models.Model):
    """A file kept under MEDIA_ROOT (never static) and served only by stored_file_response,
    after the permission getter: its original name, verified type, size, SHA-256, uploader and
    time are kept with it. A subclass names its `folder`, or overrides `upload_to`."""

    file = models.FileField(_("file"), upload_to=stored_file_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        db_index=True,
        blank=True,
        help_text=_(
            "Blank only for a file stored before hashes were kept, whose bytes were missing."
        ),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    folder = "files"

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def upload_to(self, filename: str) -> str:
        """A random stored name under `folder`, by month; the original is `original_name`."""
        suffix = PurePath(filename).suffix.lower()
        return f"{self.folder}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"

    @classmethod
    def from_upload(cls, upload: File, *, file_type: FileType, actor: Any, **fields: Any) -> Self:
        """An unsaved row for an upload check_upload accepted as `file_type`; its bytes are
        written under `upload_to` when the row is saved."""
        return cls(
            file=upload,
            original_name=PurePath(upload.name or "").name[:255],
            content_type=file_type.content_type,
            size=upload.size,
            sha256=sha256_of(upload),
            uploaded_by=actor,
            **fields,
        )


def stored_file_response(stored_file: StoredFile, *, inline: bool = False) -> FileResponse:
    """The file's bytes under its original name, as an attachment unless `inline` (an image
    shown in a page); never cached outside the user's browser, never sniffed into another type.
    A file whose bytes have gone is a 404."""
    try:
        handle = stored_file.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=stored_file.original_name,
        content_type=stored_file.content_type or None,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
