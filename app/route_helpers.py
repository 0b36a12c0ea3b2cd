"""Small helpers every blueprint's routes use: load-or-404, permission errors as HTTP, and the
edit and status-change steps that listings and needs share."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from .domain.errors import DomainError
from .domain.lifecycle import PublicationStatus
from .extensions import db
from .formkit import EmptyForm, apply_error, translate_domain
from .services.permissions import Forbidden, NotFound


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook, name: str):
    """An openpyxl workbook as a download."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return send_file(buffer, as_attachment=True, download_name=name, mimetype=XLSX_MIMETYPE)


def spreadsheet_text(value) -> str:
    """Cells a spreadsheet would run as formulas are written as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def get_or_404(model, obj_id: int):
    obj = db.session.get(model, obj_id)
    if obj is None:
        abort(404)
    return obj


@contextmanager
def permission_errors():
    """Turn the services' NotFound/Forbidden into 404/403 responses (and log the denial)."""
    try:
        yield
    except NotFound:
        abort(404)
    except Forbidden:
        from .services.audit import log_line

        log_line("permission.denied", user_id=getattr(current_user, "id", None), path=request.path,
                 method=request.method)
        abort(403)


def page_arg() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 100000))
    except ValueError:
        return 1


def save_edit(form, item, save: Callable[[], None], detail_url: str):
    """Save a listing's or need's edit form (``save()`` writes it) and publish a draft when the form
    asks to. A redirect to ``detail_url``, or None after a rule refused it (the error is on the form
    and nothing was kept)."""
    from .services import listings

    with permission_errors():
        try:
            listings.save_then_publish(current_user, item, save, bool(form.publish.data))
        except DomainError as err:
            apply_error(form, err)
            return None
    _flash_done(item, _("Saved."))
    return redirect(detail_url)


def _flash_done(item, text: str) -> None:
    """``text``, or that a member's listing went to the administrator for approval instead."""
    if getattr(item, "submitted_at", None) and item.status == PublicationStatus.DRAFT:
        flash(_("Sent to your organisation's administrator, who publishes it after approval."), "info")
    else:
        flash(text, "success")


def status_change(item, change_status: Callable, target: str, detail_url: str):
    """The POST that publishes, closes, withdraws or redrafts a listing or need (CSRF checked)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    with permission_errors():
        try:
            change_status(current_user, item, target)
        except DomainError as err:
            flash(translate_domain(err), "danger")
            return redirect(detail_url), 303
    _flash_done(item, _("Status changed."))
    return redirect(detail_url)


def safe_next(target: str | None, fallback: str) -> str:
    """Only a same-site path is followed after a redirect: it starts with one "/", has no scheme or host once
    parsed, and no backslash, control, format or space character (browsers drop or reinterpret those, so
    "/%09/evil.example" (a tab) would become "//evil.example", and a line break cannot go into a header at all)."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(unicodedata.category(c)[0] in "CZ" for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return fallback
    return target
