"""What an uploaded file really is: its extension decides the type claimed, its first bytes
(and, for a workbook, its contents) must bear the claim out. The browser's content type is
never trusted. Each app chooses which types it accepts and how it words a refusal."""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class FileType:
    content_type: str
    signatures: tuple[bytes, ...]
    zip_member: str = ""  # a zip-based format that must contain this member


ZIP = (b"PK\x03\x04",)
JPEG = FileType("image/jpeg", (b"\xff\xd8\xff",))

# By lower-case extension, without the dot.
FILE_TYPES = {
    "pdf": FileType("application/pdf", (b"%PDF-",)),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": JPEG,
    "jpeg": JPEG,
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        zip_member="xl/workbook.xml",
    ),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP
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
