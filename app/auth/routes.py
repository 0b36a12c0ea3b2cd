from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.errors import DomainError
from ..domain.login_throttle import starts_delay
from ..extensions import db, limiter
from ..formkit import EmptyForm, apply_error
from ..route_helpers import safe_next
from ..models import ApiToken
from ..services import accounts, audit, login_throttle, tokens
from . import bp
from .forms import (AcceptInvitationForm, ApiTokenForm, ChangePasswordForm, LoginForm, LogoutEverywhereForm,
                    ProfileForm, RegisterForm)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _only_post() -> bool:
    return request.method != "POST"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, exempt_when=_only_post)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.workspace"))
    form = LoginForm()
    if form.validate_on_submit():
        throttle = login_throttle.throttle()
        decision = throttle.attempt(form.email.data)
        if not decision.allowed:  # the password is not even looked at while the account's delay runs
            audit.log_line("login.delayed", email=form.email.data[:254], ip=request.remote_addr)
            wait = format_timedelta(timedelta(seconds=math.ceil(decision.wait)), threshold=1.5)
            flash(_("Too many failed log-ins to this account. Try again in %(wait)s.", wait=wait), "danger")
            return render_template("auth/login.html", form=form), 429
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            audit.log_line("login.failed", email=form.email.data[:254], ip=request.remote_addr)
            if starts_delay(decision.state.attempts, throttle.policy):
                accounts.warn_of_failed_logins(form.email.data, decision.state.attempts)
            flash(_("E-mail or password is not right."), "danger")
        else:
            throttle.succeeded(form.email.data)
            login_user(user)
            audit.log_line("login", user_id=user.id, ip=request.remote_addr)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("main.workspace")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        accounts.end_all_sessions(current_user)  # a copy of this cookie must not outlive the logout
        logout_user()
        flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


def _tell_tokens_revoked(count: int) -> None:
    if count:
        flash(ngettext("%(num)d API token was revoked.", "%(num)d API tokens were revoked.", count), "info")


@bp.route("/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    form = LogoutEverywhereForm()
    if form.validate_on_submit():
        revoked = accounts.end_all_sessions(current_user, revoke_tokens=form.revoke_tokens.data)
        logout_user()
        flash(_("All your sessions have ended."), "info")
        _tell_tokens_revoked(revoked)
    return redirect(url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, exempt_when=_only_post)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        data = accounts.Registration(
            org_name=form.org_name.data,
            org_kind=form.org_kind.data,
            credit_code=form.credit_code.data,
            region=form.region.data or "",
            user_name=form.user_name.data,
            email=form.email.data,
            password=form.password.data,
            phone=form.phone.data or "",
        )
        try:
            user = accounts.register_organisation(data, hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except DomainError as err:
            apply_error(form, err)
        else:
            login_user(user)
            flash(_("Your organisation is registered. You are its administrator."), "success")
            return redirect(url_for("orgs.detail", org_id=user.org_id))
    return render_template("auth/register.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit(_register_limit, exempt_when=_only_post)
def accept_invitation(token: str):
    invitation = accounts.find_invitation(token)
    if invitation is None:
        abort(404)
    if current_user.is_authenticated:
        flash(_("Log out first to accept an invitation for another account."), "warning")
        return redirect(url_for("main.index"))
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(
                token, form.name.data, form.password.data, hash_method=current_app.config["PASSWORD_HASH_METHOD"]
            )
        except DomainError as err:
            apply_error(form, err)
        else:
            login_user(user)
            flash(_("Welcome to %(org)s.", org=user.org.name), "success")
            return redirect(url_for("orgs.detail", org_id=user.org_id))
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
    password_form = ChangePasswordForm(prefix="pw")
    if form.submit.data and form.validate_on_submit():
        accounts.update_profile(
            current_user, name=form.name.data, phone=form.phone.data or "", title=form.title.data or "",
            locale=form.locale.data,
        )
        flash(_("Profile saved."), "success")
        return redirect(url_for("auth.profile"))
    return _profile_page(form, password_form)


def _profile_page(form, password_form, token_form=None, new_token: str | None = None, status: int = 200):
    api_tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template(
        "auth/profile.html", form=form, password_form=password_form, token_form=token_form or ApiTokenForm(prefix="tok"),
        api_tokens=api_tokens, new_token=new_token, revoke_form=EmptyForm(), logout_form=LogoutEverywhereForm(),
    ), status


@bp.route("/tokens", methods=["POST"])
@login_required
def create_token():
    """A personal API token for /api/v1; the secret is shown on this response only and stored hashed."""
    token_form = ApiTokenForm(prefix="tok")
    form, password_form = ProfileForm(obj=current_user), ChangePasswordForm(prefix="pw")
    if token_form.validate_on_submit():
        try:
            _row, secret = tokens.create(current_user, token_form.name.data)
        except DomainError as err:
            apply_error(token_form, err)
        else:
            flash(_("Token created. Copy it now: it is not shown again."), "success")
            return _profile_page(form, password_form, new_token=secret)
    return _profile_page(form, password_form, token_form=token_form, status=400)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        tokens.revoke(current_user, token_id)
    except DomainError:
        abort(404)
    flash(_("Token revoked."), "success")
    return redirect(url_for("auth.profile") + "#api-tokens")


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    form = ProfileForm(obj=current_user)
    password_form = ChangePasswordForm(prefix="pw")
    if password_form.validate_on_submit():
        try:
            revoked = accounts.change_password(
                current_user, password_form.current_password.data, password_form.password.data,
                hash_method=current_app.config["PASSWORD_HASH_METHOD"], revoke_tokens=password_form.revoke_tokens.data,
            )
        except DomainError as err:
            apply_error(password_form, err)
        else:
            # the real user, not the proxy: g._login_user = current_user would point the proxy at itself
            login_user(current_user._get_current_object())  # keep this session, with the new version
            flash(_("Password changed. Your other sessions have ended."), "success")
            _tell_tokens_revoked(revoked)
            return redirect(url_for("auth.profile"))
    return _profile_page(form, password_form, status=400)
