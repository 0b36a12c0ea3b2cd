from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

REASONS = [
    ("too_early", _l("Too early a stage")),
    ("price", _l("Price")),
    ("field_mismatch", _l("Not our field")),
    ("unclear_benefit", _l("Benefit unclear")),
    ("other", _l("Other")),
]


class DismissForm(FlaskForm):
    reason = SelectField(_l("Why does it not fit?"), choices=REASONS, validators=[DataRequired()])
    note = StringField(_l("A word more (needed for “Other”)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Dismiss"))
