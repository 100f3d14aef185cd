"""An amount field in the case's currency. What was typed stays as typed; the domain parser
(`parse_money`) decides, and the field says why it refuses: "Amount: 12,345 has more than 2
decimals"."""

from __future__ import annotations

from textual.widgets import Input

from recotui.domain.money import Money, MoneyError, parse_money, precision, to_decimal_string
from recotui.i18n import _, language


def amount_text(minor: int, currency: str, lang: str | None = None) -> str:
    """Text to prefill an amount field with, as an agent would type it: 1234,56 in fr."""
    text = to_decimal_string(minor, currency)
    return text.replace(".", ",") if (lang or language()) == "fr" else text


def field_error(field: str, text: str, reason: str) -> str:
    """"Amount: 12,345 has more than 2 decimals", translated."""
    if not text.strip():
        return _("{field}: required").format(field=_(field))
    return _("{field}: {text} {reason}").format(field=_(field), text=text.strip(),
                                                 reason=_(reason))


class MoneyInput(Input):
    """An amount: `amount()` is the Money typed, or raises MoneyError; `error()` is the
    message for the user, or None. Marks itself invalid until the text parses."""

    DEFAULT_CSS = """
    MoneyInput { width: 18; }
    """

    def __init__(self, value: str = "", *, currency: str = "EUR", field: str = "Amount",
                 allow_zero: bool = False, required: bool = True, id: str | None = None,
                 classes: str | None = None, compact: bool = True) -> None:
        digits = precision(currency)
        sep = "," if language() == "fr" else "."
        placeholder = f"0{sep}{'0' * digits}" if digits else "0"
        super().__init__(value, placeholder=placeholder, id=id, classes=classes,
                         compact=compact, select_on_focus=True)
        self.currency, self.field = currency, field
        self.allow_zero, self.required = allow_zero, required

    def amount(self) -> Money:
        if not self.value.strip() and not self.required:
            return Money.zero(self.currency)
        return parse_money(self.value, self.currency, allow_zero=self.allow_zero)

    def error(self) -> str | None:
        try:
            self.amount()
        except MoneyError as exc:
            return field_error(self.field, self.value, str(exc))
        return None

    def check(self) -> str | None:
        """The error, if any, and the field marked accordingly."""
        message = self.error()
        self.set_class(message is not None, "-invalid")
        return message

    def on_input_changed(self, event: Input.Changed) -> None:
        # Clear the mark as soon as the text is right again; do not nag while typing.
        if self.has_class("-invalid") and self.error() is None:
            self.remove_class("-invalid")
