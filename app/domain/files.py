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
