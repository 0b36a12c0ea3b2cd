from flask import Blueprint

bp = Blueprint("centers", __name__)

from . import routes  # noqa: E402,F401
