"""Template filters and globals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_currency, format_decimal
from flask import Flask, current_app, request
from flask_babel import get_locale, gettext as _

from . import labels


WAN = 10_000 * 100          # one 万元 in fen
YI = 100_000_000 * 100      # one 亿元 in fen


def format_yuan(fen: int, locale: Locale | str) -> str:
    """Money in fen for people: ``format_currency`` in the locale ("¥1,234.50", "CN¥1,234.50",
    "-¥123.45"). Chinese pages write amounts of 1 万元 and more as 万 or 亿 when that shows the exact
    value with at most two decimals (¥125,000 → "12.5 万元"); never rounded, so never another value."""
    locale = Locale.parse(locale)

    def exact_in(unit: int) -> str | None:  # at most two decimals of the unit, else None
        if abs(fen) < unit or fen % (unit // 100):
            return None
        return format_decimal(Decimal(fen) / unit, format="#,##0.##", locale=locale)

    if locale.language == "zh":
        if (yi := exact_in(YI)) is not None:
            return _("%(yi)s hundred-million yuan", yi=yi)
        if (wan := exact_in(WAN)) is not None:
            return _("%(wan)s ten-thousand yuan", wan=wan)
    return format_currency(Decimal(fen) / 100, "CNY", locale=locale)


def yuan(fen: int | None, compact: bool = True) -> str:
    """The ``yuan`` filter. None → 'negotiable'; ``compact=False`` for tables of accounts, where
    every amount reads the same way."""
    if fen is None:
        return _("Negotiable")
    if not compact:
        return format_currency(Decimal(fen) / 100, "CNY", locale=get_locale())
    return format_yuan(fen, get_locale())


TIME_FORMATS = {"minute": "%Y-%m-%d %H:%M", "date": "%Y-%m-%d", "second": "%Y-%m-%d %H:%M:%S"}


def display_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def local_time(value: datetime | date | None, precision: str = "minute") -> str:
    """The ``local_time`` filter: a stored time (naive UTC, or aware) in the display time zone
    (DISPLAY_TIMEZONE, Beijing time by default). A plain date is a calendar day and is shown as is."""
    if value is None:
        return "—"
    if not isinstance(value, datetime):
        return value.isoformat()
    moment = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(display_zone())
    return moment.strftime(TIME_FORMATS[precision])


def zone_name() -> str:
    """How pages name the display time zone."""
    zone = current_app.config["DISPLAY_TIMEZONE"]
    return _("Beijing time") if zone in ("Asia/Shanghai", "Asia/Chongqing", "PRC") else zone


def approx_count(n: int) -> str:
    """An estimated count as people say it: two significant figures, in 万 in Chinese (21 万)."""
    if n < 100:
        return str(n)
    digits = len(str(n)) - 2
    rounded = round(n, -digits)
    if str(get_locale()).startswith("zh") and rounded >= 10000:
        wan = rounded / 10000
        return f"{wan:,.0f} 万" if wan >= 10 else f"{wan:.1f} 万".replace(".0 ", " ")
    return f"{rounded:,}"


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
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["time_zone_name"] = zone_name
    app.jinja_env.filters["approx_count"] = approx_count
    app.jinja_env.globals["label"] = labels.label
    app.jinja_env.globals["label_choices"] = labels.choices
    app.jinja_env.globals["facet_label"] = labels.facet_label
    app.jinja_env.globals["reason_text"] = labels.reason_text
    app.jinja_env.globals["domain_text"] = _domain_text
    app.jinja_env.globals["alert_reason"] = alert_reason
    app.jinja_env.globals["unread_notifications"] = _unread_notifications
    app.jinja_env.globals["nav"] = _nav
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["languages"] = lambda: current_app.config["LANGUAGES"]
    app.jinja_env.add_extension("jinja2.ext.do")


def _domain_text(err) -> str:
    from .formkit import translate_domain

    return translate_domain(err)


def alert_reason(alert) -> str:
    """A pool alert's reason in the reader's language (alerts before this kept only the English line)."""
    kept = (alert.figures or {}).get("reason")
    return labels.template_text(kept["template"], kept["params"]) if kept else alert.reason


def _unread_notifications() -> int:
    from flask_login import current_user

    return _nav()["state"].unread if current_user.is_authenticated else 0


def _nav() -> dict:
    """The navbar of this request: the role's menu groups, the one the page belongs to, and the counts
    (services/todo.nav_state: a cached lookup)."""
    from flask_login import current_user

    from . import navigation
    from .services import todo

    # kept on the request, not on g: tests run many requests in one application context
    if getattr(request, "ipx_nav", None) is None:
        if current_user.is_authenticated:
            state = todo.nav_state(current_user)
        else:
            state = todo.NavState(0, 0, None, None)
        groups = navigation.menu(current_user, state)
        request.ipx_nav = {"groups": groups, "state": state,
                           "active": navigation.active_group(groups, request.endpoint, request.blueprint)}
    return request.ipx_nav
