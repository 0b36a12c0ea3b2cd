"""Snippets with the searched words marked; everything else is escaped (no markup from data)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .analysis import STOPWORDS


def _patterns(terms: list[str]) -> re.Pattern | None:
    parts = []
    for term in terms:
        if not term or term in STOPWORDS:
            continue
        if term.isascii() and term.isalnum():
            # English words are stemmed in the index ("batteri"): mark the word that starts with it
            parts.append(r"\b" + re.escape(term) + r"[a-z]*")
        else:
            parts.append(re.escape(term))
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    pattern = _patterns(terms)
    if pattern is None or not text:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]


def snippet(text: str, terms: list[str], width: int = 160) -> Markup:
    """Up to ``width`` characters of ``text`` around the densest run of matches, matches in <mark>."""
    text = " ".join((text or "").split())
    found = spans(text, terms)
    if not found:
        short = text[:width]
        return escape(short) + (Markup("…") if len(text) > width else Markup(""))
    # the window that holds the most matches
    best_start, best_count = found[0][0], 0
    for i, (start, _) in enumerate(found):
        count = sum(1 for s, e in found[i:] if e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    begin = max(0, min(best_start - width // 4, len(text) - width))
    end = min(len(text), begin + width)
    out = [Markup("…")] if begin > 0 else []
    pos = begin
    for s, e in found:
        if e <= pos or s >= end:
            continue
        s = max(s, pos)
        e = min(e, end)
        out.append(escape(text[pos:s]))
        out.append(Markup("<mark>") + escape(text[s:e]) + Markup("</mark>"))
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append(Markup("…"))
    return Markup("").join(out)


def mark(text: str, terms: list[str]) -> Markup:
    """The whole (short) text with matches marked, e.g. a title."""
    return snippet(text, terms, width=max(len(text or ""), 1))
