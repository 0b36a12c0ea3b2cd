"""URL converters. Ids in URLs fit the database's integer keys (32-bit on PostgreSQL), so an absurd
number is a 404 like any missing row, never an overflow error (500) in the database driver."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` with an upper bound; registered under the name ``int`` by the factory."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
