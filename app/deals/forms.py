from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formkit import IdempotentForm, MoneyField


class StartDealForm(FlaskForm):
    kind = SelectField(_l("Deal kind"))
    price = MoneyField(_l("Agreed price (yuan)"), validators=[DataRequired()])
    payment_terms = TextAreaField(_l("Payment terms"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Open the deal"))


class ActionForm(IdempotentForm):
    submit = SubmitField(_l("Confirm"))


class ReasonForm(IdempotentForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Confirm"))


class RecordForm(IdempotentForm):
    recordal_number = StringField(
        _l("CNIPA recordal number"), validators=[DataRequired(), Length(max=40)],
        description=_l("Licences: X + year + 9 digits, e.g. X2024110000123; transfers: the change notice number."),
    )
    recordal_date = DateField(_l("Recordal date"), validators=[DataRequired()])
    submit = SubmitField(_l("Save recordal"))


class ContractForm(FlaskForm):
    contract = FileField(_l("Contract (PDF, PNG or JPEG)"), validators=[DataRequired()])
    submit = SubmitField(_l("Upload"))


class AssignCenterForm(FlaskForm):
    center_id = SelectField(_l("Center"), coerce=int)
    submit = SubmitField(_l("Count for this center"))


class ReassignCenterForm(FlaskForm):
    center_id = SelectField(_l("Center"), coerce=int)
    note = TextAreaField(_l("Why it counts for this center"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Reassign the deal"))
