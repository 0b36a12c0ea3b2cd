from flask import Blueprint

bp = Blueprint("negotiation", __name__)

from . import routes  # noqa: E402,F401
