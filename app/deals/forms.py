import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formkit import MoneyField
from ..labels import choices


class IdempotentForm(FlaskForm):
    """Each rendered form carries a fresh key; submitting it twice does the action once."""

    idempotency_key = HiddenField(default=lambda: uuid.uuid4().hex)


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


class OfflineDealForm(IdempotentForm):
    _party_help = _l("Pick an organisation of the alliance from the list, or type its unified social credit code; "
                     "type a name only for a party outside the platform. At least one party must be an approved "
                     "member of this center's alliance.")
    seller = StringField(_l("Seller / licensor"), validators=[DataRequired(), Length(max=200)],
                         description=_party_help, render_kw={"list": "alliance-orgs", "autocomplete": "off"})
    buyer = StringField(_l("Buyer / licensee"), validators=[DataRequired(), Length(max=200)],
                        render_kw={"list": "alliance-orgs", "autocomplete": "off"})
    kind = SelectField(_l("Deal kind"), choices=lambda: choices("deal_kind"))
    patents = TextAreaField(
        _l("Patent application numbers"), validators=[DataRequired(), Length(max=5000)],
        description=_l("One per line or separated by semicolons; each counts once."),
    )
    price = MoneyField(_l("Contract price (yuan)"), validators=[DataRequired()])
    completed_on = DateField(_l("Completion date"), validators=[DataRequired()])
    recordal_number = StringField(_l("CNIPA recordal number"), validators=[DataRequired(), Length(max=40)])
    recordal_date = DateField(_l("Recordal date"), validators=[Optional()],
                              description=_l("The deal completes on or after its recordal date."))
    # required, but kept across a refused submission: the stored file travels as a signed token
    contract = FileField(_l("Contract (PDF, PNG or JPEG)"), validators=[Optional()])
    contract_token = HiddenField()
    submit = SubmitField(_l("Record the deal"))


class OfflineImportForm(FlaskForm):
    file = FileField(_l("XLSX file"), validators=[DataRequired()])
    submit = SubmitField(_l("Import"))
