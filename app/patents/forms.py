from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..formkit import ipc_list_validator, patent_number_validator
from ..labels import choices


class PatentForm(FlaskForm):
    application_number = StringField(
        _l("Application number"),
        validators=[DataRequired(), Length(max=30), patent_number_validator],
        description=_l("e.g. 202010566088.9, CN2020105660889 or ZL 2020 1 0566088.9"),
    )
    publication_number = StringField(_l("Publication / grant number"), validators=[Optional(), Length(max=30)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    abstract = TextAreaField(_l("Abstract"), validators=[Optional(), Length(max=20000)])
    patent_type = SelectField(_l("Patent type"), choices=lambda: choices("patent_type"))
    legal_status = SelectField(_l("Legal status"), choices=lambda: choices("legal_status"))
    ipc = StringField(
        _l("IPC codes"),
        validators=[DataRequired(), Length(max=500), ipc_list_validator],
        description=_l("Separate with semicolons, e.g. H01M 10/052; H01M 4/58"),
    )
    applicants = TextAreaField(
        _l("Applicants / owners"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("One per line or separated by semicolons; your organisation must be one of them."),
    )
    filing_date = DateField(_l("Filing date"), validators=[DataRequired()])
    grant_date = DateField(_l("Grant date"), validators=[Optional()])
    claims_count = IntegerField(_l("Number of claims"), validators=[Optional(), NumberRange(min=0, max=10000)], default=0)
    industry = SelectField(_l("Industry"), choices=lambda: [("", "—")] + choices("industry"))
    submit = SubmitField(_l("Save"))
