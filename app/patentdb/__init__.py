from flask import Blueprint

bp = Blueprint("patentdb", __name__)

from . import routes  # noqa: E402,F401
