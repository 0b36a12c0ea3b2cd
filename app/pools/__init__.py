from flask import Blueprint

bp = Blueprint("pools", __name__)

from . import routes  # noqa: E402,F401
