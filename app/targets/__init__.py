from flask import Blueprint

bp = Blueprint("targets", __name__)

from . import routes  # noqa: E402,F401
