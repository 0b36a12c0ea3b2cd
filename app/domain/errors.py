"""The error every domain rule raises when input breaks it."""

from __future__ import annotations


class Message(str):
    """A message marked for translation: the web layer translates it when it is a parameter of
    another message (a plain ``str`` parameter is a figure or a name and stays as it is)."""


def N_(message: str) -> Message:
    """Mark a message for translation without translating it here (the domain knows no locale)."""
    return Message(message)


class DomainError(ValueError):
    """A rule was broken.

    ``template`` is an English message with ``{name}`` placeholders, filled from ``params``;
    the web layer translates the template and then fills it. ``field`` names the input the
    message is about, when there is one, so a view can attach it to the right form field.
    """

    def __init__(self, template: str, field: str | None = None, **params):
        self.template = template
        self.params = params
        self.field = field
        self.message = template.format(**params) if params else template
        super().__init__(self.message)
