"""Organisations, their users and invitations."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import str_enum, utcnow


class OrgKind(enum.StrEnum):
    ENTERPRISE = "enterprise"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    SME = "sme"
    AGENCY = "agency"  # IP service agency
    ASSOCIATION = "association"  # industry association / organisation (an alliance group, task 6)
    CENTER = "center"  # operation center company
    BUREAU = "bureau"  # city market supervision bureau (IP office)


SELF_REGISTER_KINDS = (
    OrgKind.ENTERPRISE,
    OrgKind.UNIVERSITY,
    OrgKind.RESEARCH_INSTITUTE,
    OrgKind.SME,
    OrgKind.AGENCY,
    OrgKind.ASSOCIATION,
)


class Role(enum.StrEnum):
    MEMBER = "member"
    ORG_ADMIN = "org_admin"
    CENTER_STAFF = "center_staff"
    BUREAU_STAFF = "bureau_staff"
    EXPERT = "expert"
    CUSTODIAN = "custodian"  # 代持机构 staff: record equity injections, read fund-use reports
    PLATFORM_ADMIN = "platform_admin"


# Which roles an organisation of a kind can hand out by invitation.
INVITABLE_ROLES: dict[OrgKind, tuple[Role, ...]] = {
    OrgKind.CENTER: (Role.CENTER_STAFF, Role.MEMBER, Role.ORG_ADMIN),
    OrgKind.BUREAU: (Role.BUREAU_STAFF, Role.EXPERT, Role.ORG_ADMIN),
}
DEFAULT_INVITABLE = (Role.MEMBER, Role.ORG_ADMIN, Role.EXPERT, Role.CUSTODIAN)


def _approval_by_default(context) -> bool:
    """Universities review what their researchers offer; other organisations do not by default."""
    return str(context.get_current_parameters().get("kind")) == "university"


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind), index=True)
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    region: Mapped[str] = mapped_column(sa.String(100), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # a member's listing waits for an administrator's approval before it is published
    listing_approval: Mapped[bool] = mapped_column(default=_approval_by_default, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="org", order_by="User.id")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    title: Mapped[str] = mapped_column(sa.String(100), default="")  # job title
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout-everywhere, password change or disabling: old session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    org: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    def get_id(self) -> str:  # flask-login: the session remembers the version too
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.PLATFORM_ADMIN

    @property
    def can_manage_org(self) -> bool:
        return self.role in (Role.ORG_ADMIN, Role.PLATFORM_ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 of the token
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    org: Mapped[Organisation] = relationship()
    invited_by: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 is stored. Revoked tokens stay for the record."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(12))  # shown to the user to tell tokens apart
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
