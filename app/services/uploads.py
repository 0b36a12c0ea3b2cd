"""Evidence files: size-limited, type sniffed from content, stored under generated names."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from ..domain.errors import DomainError, N_
from ..domain.files import sniff


def save(upload: FileStorage) -> tuple[str, str]:
    """Store an upload; returns (stored name, original name). Raises DomainError when refused."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    if not data:
        raise DomainError(N_("the file is empty"), field="contract")
    if len(data) > limit:
        raise DomainError(N_("the file is larger than {mb} MB"), field="contract", mb=limit // (1024 * 1024))
    _, ext = sniff(data[:16])
    name = f"{secrets.token_hex(16)}.{ext}"
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, folder / name)
    original = os.path.basename((upload.filename or "").replace("\\", "/"))[:200] or name
    return name, original


def path_of(stored: str) -> Path:
    if not stored or "/" in stored or "\\" in stored or stored.startswith("."):
        raise FileNotFoundError(stored)
    return Path(current_app.config["UPLOAD_DIR"]) / stored


def _keeper():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="kept-upload")


def keep(stored: str, original: str, owner_id: int) -> str:
    """A signed token that carries a stored upload across a refused form submission."""
    return _keeper().dumps({"u": owner_id, "f": stored, "n": original})


def kept(token: str | None, owner_id: int, max_age: int = 86400) -> tuple[str, str] | None:
    """The (stored name, original name) a token from ``keep`` names, when it is the owner's and fresh."""
    from itsdangerous import BadSignature

    if not token:
        return None
    try:
        data = _keeper().loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != owner_id:
        return None
    try:
        if not path_of(str(data.get("f", ""))).is_file():
            return None
    except FileNotFoundError:
        return None
    return str(data["f"]), str(data.get("n", ""))
