from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..formkit import MoneyField


class PercentField(StringField):
    """A percentage typed by the user (2.5 or 2.5 %), kept as a Decimal; blank is None.

    Parsed by hand rather than with DecimalField: Decimal accepts "sNaN", which then fails every
    comparison with an exception instead of a form error."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = valuelist[0].strip().rstrip("%").strip() if valuelist else ""
        if not raw:
            return
        try:
            value = Decimal(raw)
        except InvalidOperation as err:
            raise ValueError(_l("Enter a percentage, e.g. 2.5")) from err
        if not value.is_finite() or not Decimal("0") < value <= Decimal("100"):
            raise ValueError(_l("Enter a percentage above 0 and at most 100"))
        if value != value.quantize(Decimal("0.01")):
            raise ValueError(_l("Use at most two decimals"))
        self.data = value


class StartForm(FlaskForm):
    listing_id = HiddenField()
    need_id = HiddenField()
    message = TextAreaField(_l("Message to the owner"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Express interest"))


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[Optional(), Length(max=5000)])
    attachment = FileField(_l("Attachment (PDF, PNG or JPEG)"))
    submit = SubmitField(_l("Send"))


class OfferForm(FlaskForm):
    kind = SelectField(_l("Deal kind"))
    payment = SelectField(_l("Payment"), choices=[("lump_sum", _l("Lump sum")), ("royalty", _l("Royalty on sales"))])
    price = MoneyField(_l("Price or up-front fee (yuan)"), validators=[InputRequired()])
    royalty_percent = PercentField(_l("Royalty rate (percent of sales)"))
    territory = StringField(_l("Territory"), validators=[Optional(), Length(max=200)])
    term_months = IntegerField(_l("Term (months)"), validators=[Optional(), NumberRange(min=1, max=600)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Send offer"))


class NdaForm(FlaskForm):
    text = TextAreaField(_l("NDA text or reference"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Sign and send the NDA"))


class ConfidentialForm(FlaskForm):
    body = TextAreaField(_l("Confidential details"), validators=[Optional(), Length(max=20000)],
                         description=_l("Shown only to organisations whose NDA you accept in a negotiation."))
    submit = SubmitField(_l("Save"))
