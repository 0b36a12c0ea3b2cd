from flask import Blueprint

bp = Blueprint("patents", __name__)

from . import routes  # noqa: E402,F401
