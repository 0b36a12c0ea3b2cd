"""Error pages: HTML for browsers, JSON for API clients."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def register(app: Flask) -> None:
    def render(code: int, title: str, message: str):
        if wants_json():
            return jsonify(error={"code": code, "message": message}), code
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return render(400, _("Form expired"), _("The form was too old or came from elsewhere. Please try again."))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        titles = {
            400: _("Bad request"),
            403: _("Not allowed"),
            404: _("Not found"),
            405: _("Method not allowed"),
            413: _("Upload too large"),
            429: _("Too many attempts"),
        }
        messages = {
            403: _("You do not have permission to do this."),
            404: _("The page or item you asked for does not exist, or is not visible to you."),
            413: _("The file is larger than allowed."),
            429: _("Too many attempts. Please wait a minute and try again."),
        }
        code = err.code or 500
        body, status = render(code, titles.get(code, err.name), messages.get(code, err.description or ""))
        response = app.make_response((body, status))
        # the exception's own headers: Allow on a 405, WWW-Authenticate on a 401, Retry-After on a 429 …
        for name, value in err.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def server_error(err: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render(500, _("Something went wrong"), _("The error has been logged. Please try again later."))
