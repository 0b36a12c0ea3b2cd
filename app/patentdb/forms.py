from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, SubmitField


class ImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"),
                       choices=[("patents", _l("Patents")), ("trademarks", _l("Trademarks"))])
    center = SelectField(_l("Industry database"), coerce=str)
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Choose a file")), FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file"))],
        description=_l("CSV (UTF-8 or GB18030) or XLSX, first row the column names in Chinese or English."),
    )
    submit = SubmitField(_l("Import"))
