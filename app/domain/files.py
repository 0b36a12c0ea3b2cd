"""What an uploaded file really is, judged by its first bytes, not its name or declared type."""

from __future__ import annotations

from .errors import DomainError, N_

SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


class FileTypeError(DomainError):
    pass


def sniff(head: bytes) -> tuple[str, str]:
    """(mime type, extension) of a PDF, PNG or JPEG; raises for anything else."""
    for magic, mime, ext in SIGNATURES:
        if head.startswith(magic):
            return mime, ext
    raise FileTypeError(N_("only PDF, PNG or JPEG files are accepted"), field="contract")


def download_name(original: str | None, stored: str) -> str:
    """The name a stored file is downloaded under: the uploaded name without its extension, and the extension
    of the type the content was found to be (kept in the stored name), so "x.html" holding a PDF is x.pdf."""
    ext = stored.rsplit(".", 1)[1] if "." in stored else ""
    stem = (original or "").rsplit(".", 1)[0].strip() or stored.rsplit(".", 1)[0]
    return f"{stem}.{ext}" if ext else stem
