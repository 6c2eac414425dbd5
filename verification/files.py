"""Evidence files: what is accepted (by extension AND by content), and their SHA-256."""

import hashlib
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# extension → kind; each kind is recognised by its first bytes.
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "xlsx": "xlsx"}
MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "xlsx": (b"PK\x03\x04",),
}


def sniff(head: bytes) -> str | None:
    for kind, prefixes in MAGIC.items():
        if any(head.startswith(p) for p in prefixes):
            return kind
    return None


def _is_workbook(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def validate_evidence_file(upload: UploadedFile, *, max_bytes: int) -> str:
    """The file's kind, or a ValidationError saying why it is refused."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = EXTENSIONS.get(extension)
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
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if sniff(head) != kind or (kind == "xlsx" and not _is_workbook(upload)):
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
