from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formkit import MoneyField, MultiCheckboxField
from ..labels import TRL, choices




class ListingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)],
                        description=_l("Left blank, the listing takes the first patent’s title."))
    patent_ids = SelectMultipleField(_l("Patents offered"), coerce=int, validators=[DataRequired()])
    deal_kinds = MultiCheckboxField(_l("Offered as"), choices=lambda: choices("deal_kind"), validators=[DataRequired()])
    negotiable = BooleanField(_l("Price negotiable"))
    price = MoneyField(_l("Asking price (yuan)"), validators=[Optional()])
    trl = SelectField(_l("Development stage"), coerce=int, choices=lambda: [(k, v) for k, v in TRL.items()])
    industry = SelectField(_l("Industry"), choices=lambda: choices("industry"))
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    is_tech_offer = BooleanField(_l("University technology offer (several patents with a technical summary)"))
    tech_summary = TextAreaField(_l("Technical summary"), validators=[Optional(), Length(max=20000)])
    save = SubmitField(_l("Save as draft"))
    publish = SubmitField(_l("Save and publish"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.negotiable.data and self.price.data is None and not self.price.errors:
            self.price.errors = list(self.price.errors) + [_l("Give a price or tick “negotiable”")]
            ok = False
        return ok
