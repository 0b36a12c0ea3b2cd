"""Small helpers every blueprint's routes use: load-or-404, permission errors as HTTP."""

from __future__ import annotations

from contextlib import contextmanager

from flask import abort, request
from flask_login import current_user

from .extensions import db
from .services.permissions import Forbidden, NotFound


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
