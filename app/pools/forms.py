from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..formkit import MoneyField
from ..labels import choices


class PoolForm(FlaskForm):
    name = StringField(_l("Pool name"), validators=[DataRequired(), Length(max=200)])
    field = TextAreaField(_l("Technology field"), validators=[DataRequired(), Length(max=2000)])
    industry = SelectField(_l("Industry"), choices=lambda: choices("industry"))
    center_id = SelectField(_l("For the center"), coerce=int)
    submit = SubmitField(_l("Create pool"))


class InviteMemberForm(FlaskForm):
    org_id = SelectField(_l("Organisation"), coerce=int)
    fixed_share = IntegerField(_l("Fixed share (weight, for the fixed-shares rule)"), default=0,
                               validators=[Optional(), NumberRange(min=0, max=10000)])
    submit = SubmitField(_l("Invite"))


class ContributeForm(FlaskForm):
    patent_ids = SelectMultipleField(_l("Your patents"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Contribute with my organisation's consent"))


class TermsForm(FlaskForm):
    royalty_kind = SelectField(_l("Royalty"), choices=[("lump_sum", _l("Lump sum")), ("per_unit", _l("Per unit"))])
    royalty = MoneyField(_l("Royalty (yuan)"), validators=[DataRequired()])
    field_of_use = TextAreaField(_l("Field of use"), validators=[Optional(), Length(max=2000)])
    term_months = IntegerField(_l("Term (months)"), validators=[Optional(), NumberRange(min=1, max=600)])
    split_rule = SelectField(_l("Royalty split among contributors"), choices=[
        ("per_patent", _l("Per valid patent")), ("by_grade", _l("Weighted by grade (A4 B3 C2 D1)")),
        ("fixed_shares", _l("Fixed shares")),
    ])
    submit = SubmitField(_l("Publish terms"))


class LicenceForm(FlaskForm):
    units = IntegerField(_l("Units"), default=1, validators=[DataRequired(), NumberRange(min=1, max=10_000_000)])
    submit = SubmitField(_l("Take a licence"))


class CrossLicenceForm(FlaskForm):
    org_b_id = SelectField(_l("Other party"), coerce=int)
    patents_a = TextAreaField(_l("Our patents (application numbers)"), validators=[DataRequired(), Length(max=5000)])
    patents_b = TextAreaField(_l("Their patents (application numbers)"), validators=[DataRequired(), Length(max=5000)])
    signed_on = DateField(_l("Signed on"), validators=[DataRequired()])
    term_months = IntegerField(_l("Term (months)"), validators=[Optional(), NumberRange(min=1, max=600)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record cross-licence"))


class WeightsForm(FlaskForm):
    """One float field per weight, built from the defaults' names."""

    submit = SubmitField(_l("Save weights"))
