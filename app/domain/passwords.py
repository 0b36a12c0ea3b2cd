"""Password rules (OWASP ASVS 2.1): length, not a commonly used password, not easy to guess (zxcvbn)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import DomainError, N_

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_SCORE = 2  # zxcvbn's 0..4: below 2 a password falls to an online attack that is throttled only a little
_SCORED_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters decide
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
    if score(password, email=email, name=name) < MIN_SCORE:
        raise PasswordError(N_("this password is too easy to guess: make it longer, or use several unrelated words"),
                            field="password")


def score(password: str, *, email: str = "", name: str = "") -> int:
    """zxcvbn's strength score 0..4, with the user's e-mail address, its parts and name as known words."""
    from zxcvbn import zxcvbn

    inputs = [x for x in {email, *re.split(r"[@._+-]", email), name, *name.split()} if x]
    return zxcvbn(password[:_SCORED_LENGTH], user_inputs=inputs)["score"]
