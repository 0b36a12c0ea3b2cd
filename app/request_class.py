"""The request class: text parameters (query string and form fields) never carry NUL characters.

PostgreSQL can neither store nor compare a NUL in text, so a ``%00`` typed into a search box or a
form would otherwise end as a 500 there (SQLite lets it through). No real form sends one; it is
dropped before any view sees the value.
"""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):
    def __init__(self, mapping=None):
        if mapping is not None:
            if isinstance(mapping, MultiDict):
                pairs = mapping.items(multi=True)
            elif isinstance(mapping, dict):
                pairs = [(k, v) for k, vs in mapping.items() for v in (vs if isinstance(vs, (list, tuple)) else [vs])]
            else:
                pairs = mapping
            mapping = [(_clean(k), _clean(v)) for k, v in pairs]
        super().__init__(mapping)


class NulFreeRequest(Request):
    parameter_storage_class = NulFreeMultiDict
