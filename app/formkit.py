"""Shared form pieces: the empty POST form, checkbox lists, domain validators as WTForms validators,
money fields, error mapping. Blueprints take them from here, never from each other."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import ValidationError

from .domain import credit_code, ipc, patent_numbers
from .domain.errors import DomainError, Message
from .services import clock


class EmptyForm(FlaskForm):
    """A POST button with CSRF protection."""

    submit = SubmitField(_l("Submit"))


class IdempotentForm(FlaskForm):
    """Each rendered form carries a fresh key; submitting it twice does the action once."""

    idempotency_key = HiddenField(default=lambda: uuid.uuid4().hex)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def translate_domain(err: DomainError) -> str:
    """Domain messages are English templates; translate the template, then fill it. A parameter
    that is itself a domain error (the reason inside "patent {text}: {reason}") is translated the
    same way, and so is a parameter marked as a message (``Message``)."""
    return _(err.template).format(**{k: _param(v) for k, v in err.params.items()})


def _param(value):
    if isinstance(value, DomainError):
        return translate_domain(value)
    if isinstance(value, Message):
        return _(value)
    return value


def domain_validator(fn, **kwargs):
    def check(form, field):
        if field.data:
            try:
                fn(field.data, **kwargs)
            except DomainError as err:
                raise ValidationError(translate_domain(err)) from err

    return check


def _patent_number(text: str):
    return patent_numbers.parse(text, today=clock.today())  # no filing year after this Beijing year


patent_number_validator = domain_validator(_patent_number)
credit_code_validator = domain_validator(credit_code.normalize)
ipc_list_validator = domain_validator(ipc.parse_list)
ipc_hint_validator = domain_validator(ipc.parse_list, allow_subclass=True)


class MoneyField(StringField):
    """Yuan typed by the user (1,234.5 or 1234.50), stored in fen; blank is None."""

    def process_formdata(self, valuelist):
        self.data = None
        self.raw = valuelist[0].strip().replace(",", "").replace("，", "").replace("¥", "") if valuelist else ""
        if not self.raw:
            return
        try:
            amount = Decimal(self.raw)
        except InvalidOperation as err:
            raise ValueError(_l("Enter an amount in yuan, e.g. 150000 or 1500.50")) from err
        if not amount.is_finite() or amount < 0:
            raise ValueError(_l("The amount cannot be negative"))
        if amount > Decimal("100000000000"):  # before quantize, which fails on huge values such as 1e999
            raise ValueError(_l("The amount is too large"))
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(_l("Use at most two decimals (fen)"))
        self.data = int(amount * 100)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{Decimal(self.data) / 100:.2f}"


def apply_error(form, err: DomainError) -> None:
    """Put a service error on its field, or flash it when it is about the whole form."""
    message = translate_domain(err)
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = list(field.errors or []) + [message]
    else:
        flash(message, "danger")
