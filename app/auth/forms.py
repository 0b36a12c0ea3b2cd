from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..formkit import credit_code_validator
from ..labels import choices
from ..models.org import SELF_REGISTER_KINDS


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    submit = SubmitField(_l("Log in"))


PASSWORD_HELP = _l("At least 8 characters; common or easy-to-guess passwords are refused.")


class PasswordFields:
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=8, max=128)],
        description=PASSWORD_HELP,
    )
    password2 = PasswordField(
        _l("Repeat password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ"))]
    )


class RegisterForm(PasswordFields, FlaskForm):
    org_name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=200)])
    org_kind = SelectField(
        _l("Organisation kind"), choices=lambda: choices("org_kind", {k.value for k in SELF_REGISTER_KINDS})
    )
    credit_code = StringField(
        _l("Unified social credit code"),
        validators=[DataRequired(), Length(min=18, max=24), credit_code_validator],
        description=_l("18 characters, as on the business licence."),
    )
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])
    user_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    submit = SubmitField(_l("Register"))


class AcceptInvitationForm(PasswordFields, FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Create my account"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    title = StringField(_l("Job title"), validators=[Optional(), Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    locale = SelectField(_l("Language"), choices=[("", _l("Default")), ("zh_CN", "中文"), ("en", "English")])
    submit = SubmitField(_l("Save"))


def revoke_tokens_field() -> BooleanField:
    return BooleanField(_l("Also revoke my API tokens"), default=True,
                        description=_l("Programs using them stop working until you give them a new token."))


class LogoutEverywhereForm(FlaskForm):
    revoke_tokens = revoke_tokens_field()
    submit = SubmitField(_l("Log out everywhere"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=128)],
                             description=PASSWORD_HELP)
    password2 = PasswordField(
        _l("Repeat new password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ"))]
    )
    revoke_tokens = revoke_tokens_field()
    submit = SubmitField(_l("Change password"))




class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What the token is for, e.g. 'ERP sync'."))
    submit = SubmitField(_l("Create token"))
