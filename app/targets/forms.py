from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formkit import IdempotentForm, MoneyField
from ..labels import choices


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
