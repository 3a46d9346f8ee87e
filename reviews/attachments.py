"""What an attachment to an answer may be: a PDF, an OpenDocument text, a Word or Excel file, or a CSV.

Checked by name *and* by content, so a file that only carries the right
extension is refused: a PDF starts with ``%PDF-``; ODT, DOCX and XLSX are ZIP
packages with the part their format needs (read from the ZIP's directory,
nothing is unpacked); a CSV is text (UTF-8, or the Windows encoding Dutch
Excel saves in) without control characters. No database: the callers check
who may read.
"""

from __future__ import annotations

import os
import zipfile
from typing import IO

from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
NAME_MAX = 200

# Extension -> the media type the download is served with.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}
# The part that makes a ZIP package a document of its kind.
PACKAGE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# How much of a CSV is read to judge that it is text.
CSV_SAMPLE = 64 * 1024
# The control characters a text file may hold: tab, line feed, form feed, carriage return.
TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}


def extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def shown_name(name: str) -> str:
    """The file's own name as the download offers it: no folders, only safe characters, at most 200."""
    base = get_valid_filename(os.path.basename(name or "").strip()) or "bijlage"
    stem, ext = os.path.splitext(base)
    return stem[: NAME_MAX - len(ext)] + ext


def _looks_like(upload: IO[bytes], ext: str) -> bool:
    upload.seek(0)
    if ext == ".pdf":
        return upload.read(5) == b"%PDF-"
    if ext == ".csv":
        sample = upload.read(CSV_SAMPLE)
        if any(byte < 0x20 and byte not in TEXT_CONTROLS for byte in sample):
            return False
        for encoding in ("utf-8", "cp1252"):
            try:
                sample.decode(encoding)
                return True
            except UnicodeDecodeError as error:
                # The sample may end inside a UTF-8 character.
                if encoding == "utf-8" and len(sample) == CSV_SAMPLE and error.start >= CSV_SAMPLE - 3:
                    return True
        return False
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if ext == ".odt":
                info = package.getinfo("mimetype") if "mimetype" in names else None
                return info is not None and info.file_size < 100 and package.read(info).strip() == ODT_MIMETYPE
            return PACKAGE_PARTS[ext] in names
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return False


def attachment_errors(upload) -> list[str]:
    """Why ``upload`` (a Django ``UploadedFile``) cannot be attached; empty when it can."""
    ext = extension(upload.name)
    if ext not in CONTENT_TYPES:
        return [_("Voeg een PDF-, ODT-, DOCX-, XLSX- of CSV-bestand toe.")]
    if upload.size > MAX_BYTES:
        return [_("Het bestand is groter dan %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}]
    if upload.size == 0:
        return [_("Het bestand is leeg.")]
    try:
        fits = _looks_like(upload, ext)
    finally:
        upload.seek(0)
    if not fits:
        return [_("De inhoud van het bestand past niet bij “%(ext)s”.") % {"ext": ext}]
    return []


def download(stored, name: str) -> FileResponse:
    """A stored attachment as a download under its own name, never shown inline (the caller checked who reads)."""
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=name or os.path.basename(stored.name),
        content_type=CONTENT_TYPES.get(extension(stored.name), "application/octet-stream"),
    )
