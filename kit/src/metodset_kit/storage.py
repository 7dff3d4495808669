"""Files a service keeps (materials of events, bodies and practices): content addressed by sha256, the type
told by the content itself (never by the name or the client's content type) from a short allow-list, and a
size limit. A local directory today (STORAGE_DIR); an S3-compatible store implements the same `Storage`.

Files are only ever served as downloads: `download_headers` gives `Content-Disposition: attachment` and
`X-Content-Type-Options: nosniff`, so a browser neither renders nor executes what was uploaded."""
from __future__ import annotations

import asyncio
import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from .errors import DomainError


@dataclass(frozen=True)
class FileType:
    code: str  # pdf, docx, ...
    extension: str
    media_type: str
    title: str


PDF = FileType("pdf", "pdf", "application/pdf", "PDF")
DOCX = FileType("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word")
XLSX = FileType("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel")
PPTX = FileType("pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "PowerPoint")
JPEG = FileType("jpg", "jpg", "image/jpeg", "JPEG")
PNG = FileType("png", "png", "image/png", "PNG")
MP4 = FileType("mp4", "mp4", "video/mp4", "MP4")
ALLOWED: tuple[FileType, ...] = (PDF, DOCX, XLSX, PPTX, JPEG, PNG, MP4)
_OFFICE = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}  # the part folder an OOXML package is named by


def _office(data: bytes) -> FileType | None:
    """An OOXML package: a zip whose directory lists [Content_Types].xml and one kind's part folder. Only the
    central directory is read; nothing is decompressed."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    found = {t for prefix, t in _OFFICE.items() if any(n.startswith(prefix) for n in names)}
    return found.pop() if len(found) == 1 else None


def sniff(data: bytes) -> FileType | None:
    """The allowed type the content is, or None (an HTML page named report.pdf is None)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in (b"isom", b"iso2", b"mp41", b"mp42", b"avc1",
                                                                   b"M4V ", b"dash"):
        return MP4
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


class FileRefused(DomainError):
    """A file of a type not allowed (by its content) or too large; names the request's `file` field."""


class FileTooLarge(FileRefused):
    status_code = 413


def checked(data: bytes, max_bytes: int) -> FileType:
    """The file's type, or FileRefused naming why (in Russian, with the allowed list)."""
    if len(data) > max_bytes:
        raise FileTooLarge("file", f"Файл больше допустимого ({max_bytes / (1024 * 1024):.0f} МБ)", "too_large")
    if not data:
        raise FileRefused("file", "Файл пуст", "empty")
    found = sniff(data)
    if found is None:
        allowed = ", ".join(t.code for t in ALLOWED)
        raise FileRefused("file", f"Тип файла не допускается (определяется по содержимому): разрешены {allowed}",
                          "file_type")
    return found


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Storage(Protocol):
    async def put(self, data: bytes) -> str:
        """Keep the content; answers its sha256 (the key). Putting the same content again is a no-op."""

    async def get(self, key: str) -> bytes | None:
        """The content under a key, or None."""


class LocalStorage:
    """A directory: `<root>/<first two hex digits>/<sha256>`, written through a temporary file and a rename, so
    a reader never sees half a file."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError("not a sha256 key")
        return self.root / key[:2] / key

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _read(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.exists() else None

    async def put(self, data: bytes) -> str:
        key = digest(data)
        await asyncio.to_thread(self._write, key, data)
        return key

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._read, key)


def of_app(state) -> Storage:
    """A service's file storage kept on its app state: STORAGE_DIR (a local directory; an S3-compatible store
    implements the same), made on first use."""
    if getattr(state, "storage", None) is None:
        state.storage = LocalStorage(state.settings.storage_dir)
    return state.storage


def download_headers(file_name: str) -> dict[str, str]:
    """Headers of a stored file's download: always an attachment, never sniffed into something active."""
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name, safe='')}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store"}
