from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..labels import choices


class CenterForm(FlaskForm):
    name = StringField(_l("Center name"), validators=[DataRequired(), Length(max=200)])
    org_id = SelectField(_l("Operating company"), coerce=int)
    industry = SelectField(_l("Industry"), choices=lambda: choices("industry"))
    approval_date = DateField(_l("Approval date (project year 1 starts here)"), validators=[Optional()])
    founder_ids = SelectMultipleField(_l("Founding organisations"), coerce=int, validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Create center"))


class TargetsForm(FlaskForm):
    year_1 = IntegerField(_l("Year 1"), validators=[DataRequired(), NumberRange(min=0, max=100000)])
    year_2 = IntegerField(_l("Year 2"), validators=[DataRequired(), NumberRange(min=0, max=100000)])
    year_3 = IntegerField(_l("Year 3"), validators=[DataRequired(), NumberRange(min=0, max=100000)])
    year_4 = IntegerField(_l("Year 4"), validators=[DataRequired(), NumberRange(min=0, max=100000)])
    year_5 = IntegerField(_l("Year 5"), validators=[DataRequired(), NumberRange(min=0, max=100000)])
    submit = SubmitField(_l("Save targets"))


class JoinForm(FlaskForm):
    message = TextAreaField(_l("Why does your organisation want to join?"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Apply to join the alliance"))
