"""Organisations, users, invitations, log-in."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, gettext
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain import credit_code, passwords
from ..domain.errors import DomainError, N_
from ..extensions import db
from ..models import Invitation, Organisation, OrgKind, OutboxEmail, Role, User
from ..models._types import utcnow
from . import audit, tokens
from .clock import local_now
from .permissions import may_invite, may_manage_org
from ..models.org import DEFAULT_INVITABLE, INVITABLE_ROLES, SELF_REGISTER_KINDS
from .transaction import transaction, use_case

# Checked against when the e-mail is unknown, so a login takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="pbkdf2:sha256:1000")


@dataclass
class Registration:
    org_name: str
    org_kind: str
    credit_code: str
    region: str
    user_name: str
    email: str
    password: str
    phone: str = ""


def hash_password(password: str, method: str) -> str:
    return generate_password_hash(password, method=method)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


@use_case
def register_organisation(data: Registration, *, hash_method: str) -> User:
    """Create an organisation and its first user, who becomes its administrator."""
    kind = OrgKind(data.org_kind)
    if kind not in SELF_REGISTER_KINDS:
        raise DomainError(N_("operation centers and the bureau are set up by the platform"), field="org_kind")
    code = credit_code.normalize(data.credit_code)
    email = normalize_email(data.email)
    passwords.check(data.password, email=email, name=data.user_name)
    name = data.org_name.strip()
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name)):
        raise DomainError(N_("an organisation with this name is already registered"), field="org_name")
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.credit_code == code)):
        raise DomainError(N_("this credit code is already registered"), field="credit_code")
    _require_free_email(email)
    org = Organisation(name=name, kind=kind, credit_code=code, region=data.region.strip())
    user = User(
        email=email,
        name=data.user_name.strip(),
        password_hash=hash_password(data.password, hash_method),
        role=Role.ORG_ADMIN,
        org=org,
        phone=data.phone.strip(),
    )
    db.session.add_all([org, user])
    db.session.flush()
    return user


def _require_free_email(email: str) -> None:
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise DomainError(N_("this e-mail address already has an account"), field="email")


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    with transaction():
        user.last_login_at = utcnow()
    return user


@use_case
def warn_of_failed_logins(email: str, attempts: int) -> None:
    """Tell the account's holder (an e-mail in their language, through the outbox) that log-ins to it failed
    ``attempts`` times in a row and that attempts now have to wait. Nothing for an unknown address."""
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email), User.active.is_(True)))
    if user is None:
        return
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = gettext("Failed log-ins to your account")
        body = gettext(
            "Someone tried to log in to your account %(email)s with a wrong password %(count)d times in a row "
            "(last at %(time)s, Beijing time). Further attempts now have to wait longer each time.\n\n"
            "If this was you, wait a little and try again. If it was not, none of these attempts got in; "
            "consider changing your password to a longer one on your profile page.",
            email=user.email, count=attempts, time=local_now().strftime("%Y-%m-%d %H:%M"),
        )
    db.session.add(OutboxEmail(to_user_id=user.id, to_address=user.email, subject=subject, body=body))


def invitable_roles(org: Organisation) -> tuple[Role, ...]:
    return INVITABLE_ROLES.get(org.kind, DEFAULT_INVITABLE)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@use_case
def invite(by: User, email: str, role: str, *, days: int) -> tuple[Invitation, str]:
    """An org admin invites a colleague; returns the invitation and its one-time token."""
    if not may_invite(by, by.org_id):
        raise DomainError(N_("only organisation administrators may invite colleagues"))
    role = Role(role)
    if role not in invitable_roles(by.org):
        raise DomainError(N_("this role cannot be given in your organisation"), field="role")
    email = normalize_email(email)
    _require_free_email(email)
    token = secrets.token_urlsafe(32)
    inv = Invitation(
        org_id=by.org_id,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by_id=by.id,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(inv)
    db.session.flush()
    return inv, token


def find_invitation(token: str) -> Invitation | None:
    inv = db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == _token_hash(token or "")))
    return inv if inv is not None and inv.is_open else None


@use_case
def accept_invitation(token: str, name: str, password: str, *, hash_method: str) -> User:
    inv = find_invitation(token)
    if inv is None:
        raise DomainError(N_("this invitation is not valid any more; ask for a new one"))
    passwords.check(password, email=inv.email, name=name)
    _require_free_email(inv.email)
    user = User(
        email=inv.email,
        name=name.strip(),
        password_hash=hash_password(password, hash_method),
        role=inv.role,
        org_id=inv.org_id,
    )
    inv.accepted_at = utcnow()
    db.session.add(user)
    db.session.flush()
    return user


@use_case
def revoke_invitation(by: User, inv: Invitation) -> None:
    if not may_invite(by, inv.org_id):
        raise DomainError(N_("only your organisation's administrators may revoke its invitations"))
    inv.revoked_at = utcnow()


@use_case
def update_profile(user: User, *, name: str, phone: str, title: str, locale: str | None) -> None:
    user.name = name.strip()
    user.phone = phone.strip()
    user.title = title.strip()
    user.locale = locale or None


def change_password(user: User, current: str, new: str, *, hash_method: str, revoke_tokens: bool = False) -> int:
    """Set a new password; every session ends (the caller logs this one in again). Returns the number of
    API tokens revoked."""
    if not check_password_hash(user.password_hash, current):
        raise DomainError(N_("the current password is not right"), field="current_password")
    passwords.check(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new, hash_method)
    return end_all_sessions(user, revoke_tokens=revoke_tokens)


@use_case
def end_all_sessions(user: User, *, revoke_tokens: bool = False) -> int:
    """Every session cookie of the user stops working (the session version they carry is bumped); with
    ``revoke_tokens`` the API tokens too. Logout, logout-everywhere and a password change all come here.
    Returns the number of tokens revoked."""
    user.session_version += 1
    revoked = tokens.revoke_all(user) if revoke_tokens else 0
    if revoked:
        audit.record(user, "api_token.revoked_all", "user", user.id, count=revoked)
    db.session.flush()
    return revoked


@use_case
def set_user_active(by: User, user: User, active: bool) -> None:
    if not may_manage_org(by, user.org_id):
        raise DomainError(N_("you may not change this account"))
    if by.id == user.id:
        raise DomainError(N_("you cannot disable your own account"))
    user.active = active
    user.session_version += 1


@use_case
def update_organisation(by: User, org: Organisation, *, name_en: str, region: str, address: str,
                        website: str, description: str, listing_approval: bool | None = None) -> None:
    if not may_manage_org(by, org.id):
        raise DomainError(N_("only the organisation's administrators may edit it"))
    org.name_en = name_en.strip() or None
    org.region = region.strip()
    org.address = address.strip()
    org.website = website.strip()
    org.description = description.strip()
    if listing_approval is not None:
        org.listing_approval = listing_approval


@use_case
def create_platform_admin(email: str, name: str, password: str, *, hash_method: str) -> User:
    """A platform administrator, in the platform's own organisation (created if missing)."""
    passwords.check(password, email=email)
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "平台运营方"))
    if org is None:
        org = Organisation(name="平台运营方", name_en="Platform operator", kind=OrgKind.AGENCY,
                           credit_code=credit_code.make("91140100MA0PLATF0"[:17]), region="太原市")
        db.session.add(org)
    user = User(email=email.strip().lower(), name=name, role=Role.PLATFORM_ADMIN, org=org,
                password_hash=generate_password_hash(password, method=hash_method))
    db.session.add(user)
    return user
