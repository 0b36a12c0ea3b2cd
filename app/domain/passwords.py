"""Password rules (OWASP ASVS 2.1): length, not a commonly used password."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import DomainError, N_

MIN_LENGTH = 8
MAX_LENGTH = 128
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


class PasswordError(DomainError):
    pass


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of the leaked-password corpora zxcvbn ships (MIT licence), and
    our own list of those Chinese users choose (pinyin, 520/1314 dates, keyboard walks)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    ours = {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}
    return frozenset(ours | {p.lower() for p in FREQUENCY_LISTS["passwords"]})


def check(password: str, *, email: str = "", name: str = "") -> None:
    """Raise :class:`PasswordError` when the password is too weak."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(N_("use at least {count} characters"), field="password", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise PasswordError(N_("use at most {count} characters"), field="password", count=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords():
        raise PasswordError(N_("this password is on the list of commonly used passwords"), field="password")
    if len(set(password)) < 3:
        raise PasswordError(N_("use more than two different characters"), field="password")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and lowered == local:
        raise PasswordError(N_("the password must not be your e-mail name"), field="password")
