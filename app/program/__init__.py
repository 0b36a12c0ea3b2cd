from flask import Blueprint

bp = Blueprint("program", __name__)

from . import application_routes, member_routes, routes  # noqa: E402,F401
