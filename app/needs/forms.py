from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formkit import MoneyField, MultiCheckboxField, ipc_hint_validator
from ..labels import TRL, choices


class NeedForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("What technology do you need?"), validators=[DataRequired(), Length(max=20000)])
    industry = SelectField(_l("Industry"), choices=lambda: choices("industry"))
    ipc_hints = StringField(
        _l("IPC hints"),
        validators=[Optional(), Length(max=500), ipc_hint_validator],
        description=_l("Optional, e.g. H01M; C01B 32/184"),
    )
    budget_min = MoneyField(_l("Budget from (yuan)"), validators=[Optional()])
    budget_max = MoneyField(_l("Budget up to (yuan)"), validators=[Optional()])
    kinds_wanted = MultiCheckboxField(_l("Deal kinds you would take"), choices=lambda: choices("deal_kind"),
                                      description=_l("Leave all unticked if any kind will do."))
    min_trl = SelectField(_l("Earliest development stage you can use"), coerce=lambda v: int(v) if v else None,
                          choices=lambda: [("", _l("Any stage"))] + [(k, v) for k, v in TRL.items()],
                          validators=[Optional()])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)])
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    save = SubmitField(_l("Save as draft"))
    publish = SubmitField(_l("Save and publish"))
