"""Template filters and globals."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from babel import Locale
from flask import Flask, current_app, request
from flask_babel import get_locale, gettext as _

from . import labels


def yuan(fen: int | None) -> str:
    """Money in fen shown as yuan; ¥1,234.50. None → 'negotiable'."""
    if fen is None:
        return _("Negotiable")
    amount = Decimal(fen) / 100
    if fen % 10000 == 0 and fen >= 1_000_000 and str(get_locale()).startswith("zh"):
        return _("%(wan)s ten-thousand yuan", wan=f"{amount / 10000:,.0f}")
    return f"¥{amount:,.2f}"


def url_with(**changes) -> str:
    """The current URL with some query arguments replaced (for filters and pagination)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    query = urlencode(args, doseq=True)
    return request.path + ("?" + query if query else "")


def current_locale() -> str:
    """The active interface language as a LANGUAGES code ('zh_CN', 'en').

    str(get_locale()) will not do: Babel expands 'zh_CN' to 'zh_Hans_CN'.
    """
    locale = get_locale()
    for code in current_app.config["LANGUAGES"]:
        if Locale.parse(code) == locale:
            return code
    return str(locale)


def register(app: Flask) -> None:
    app.jinja_env.filters["yuan"] = yuan
    app.jinja_env.globals["label"] = labels.label
    app.jinja_env.globals["reason_text"] = labels.reason_text
    app.jinja_env.globals["domain_text"] = _domain_text
    app.jinja_env.globals["unread_notifications"] = _unread_notifications
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["languages"] = lambda: current_app.config["LANGUAGES"]
    app.jinja_env.add_extension("jinja2.ext.do")


def _domain_text(err) -> str:
    from .formkit import translate_domain

    return translate_domain(err)


def _unread_notifications() -> int:
    from flask_login import current_user

    from .services.matching import unread_count

    return unread_count(current_user) if current_user.is_authenticated else 0
