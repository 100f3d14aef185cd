"""What a letter says, computed from the case: amounts, interest, indemnity, deadline.

The context handed to the templates holds text already formatted for the letter's language,
so a template only lays it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from recotui.domain.book import DebtorKind
from recotui.domain.interest import RateTable, late_interest, recovery_indemnity_minor
from recotui.domain.ladder import LadderStep
from recotui.domain.money import Money, format_money, precision
from recotui.letters.settings import Creditor
from recotui.store.ladder_store import InvoiceInfo, LetterCase

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def money(minor: int, currency: str, language: str) -> str:
    """format_money's text; babel's own formatting is the slowest part of a 100k-letter run,
    so its pattern is read once per currency and language and applied here."""
    if minor < 0:
        return _babel_money(minor, currency, language)
    head, group, point, tail, digits = _money_pattern(currency, language)
    units, cents = divmod(minor, 10 ** digits)
    whole = f"{units:,}".replace(",", group)
    return f"{head}{whole}{point}{cents:0{digits}d}{tail}" if digits else f"{head}{whole}{tail}"


def _babel_money(minor: int, currency: str, language: str) -> str:
    # A narrow no-break space (babel's fr grouping) is not in every font: a no-break space is.
    return format_money(Money(minor, currency), language).replace("\u202f", "\u00a0")


@lru_cache(maxsize=32)
def _money_pattern(currency: str, language: str) -> tuple[str, str, str, str, int]:
    digits = precision(currency)
    sample = _babel_money(1234567 * 10 ** digits + (89 if digits else 0), currency, language)
    first, last = sample.index("1"), sample.rindex("9" if digits else "7")
    body = sample[first:last + 1]
    group = body[1] if not body[1].isdigit() else ""
    point = body[-(digits + 1)] if digits else ""
    return sample[:first], group, point, sample[last + 1:], digits


@lru_cache(maxsize=4096)
def day(value: date, language: str, fmt: str = "short") -> str:
    if fmt == "short":  # dd/mm/yyyy in both languages: fr_FR and en_GB agree
        return value.strftime("%d/%m/%Y")
    return format_date(value, fmt, locale=_LOCALES.get(language, language))


@lru_cache(maxsize=256)
def rate(value: Decimal, language: str) -> str:
    text = format_decimal(value, "0.00", locale=_LOCALES.get(language, language))
    return f"{text}\u00a0%" if language == "fr" else f"{text}%"


def letter_no(step_name: str, debtor_number: str, currency: str, on: date) -> str:
    """Stable for a case, step and day: a second run computes the same number."""
    return f"{step_name}-{_UNSAFE.sub('_', debtor_number)}-{currency}-{on:%Y%m%d}"


def _unbroken(text: str) -> str:
    """An IBAN or a phone number is never cut across lines."""
    return text.replace(" ", "\u00a0")


@dataclass(frozen=True, slots=True)
class Figures:
    overdue_minor: int
    interest_minor: int
    indemnity_minor: int
    claim_minor: int
    assumed_rate: bool


def is_professional(kind: str) -> bool:
    return kind != DebtorKind.CONSUMER


def invoice_interest(inv: InvoiceInfo, kind: str, as_of: date, rates: RateTable) -> Any:
    """L441-10 interest from the day after the due date, for a professional debtor only:
    against a consumer the legal rate runs from the formal notice (C. civ. 1231-6)."""
    return late_interest(inv.amount_minor, inv.due_date, as_of, debtor_kind=DebtorKind(kind),
                         payments=inv.payments, ecb_rates=rates)


def build_context(case: LetterCase, step: LadderStep, as_of: date, creditor: Creditor,
                  rates: RateTable, *, tracking_number: str = "") -> dict[str, Any]:
    lang = case.debtor.language if case.debtor.language in _LOCALES else "fr"
    cur = case.currency
    pro = is_professional(case.debtor.kind)
    euro = cur == "EUR"  # the rate table and the €40 are in euros
    overdue = [i for i in case.invoices if i.due_date < as_of and not i.disputed]
    listed = overdue if not step.before_due else [i for i in case.invoices if not i.disputed]
    lines, interest_total, assumed = [], 0, False
    for inv in listed:
        result = None
        if pro and euro and inv.due_date < as_of:
            result = invoice_interest(inv, case.debtor.kind, as_of, rates)
            interest_total += result.amount_minor
            assumed = assumed or result.assumed
        lines.append({
            "number": inv.number, "issue_date": day(inv.issue_date, lang),
            "due_date": day(inv.due_date, lang), "amount": money(inv.amount_minor, cur, lang),
            "open": money(inv.open_minor, cur, lang),
            "days_late": max((as_of - inv.due_date).days, 0),
            "interest": money(result.amount_minor, cur, lang) if result else "",
            "periods": [{
                "start": day(p.start, lang), "end": day(p.end, lang), "days": p.days,
                "principal": money(p.principal_minor, cur, lang),
                "rate": rate(p.rate_percent, lang),
                "amount": money(int(p.interest.scaleb(2).to_integral_value()), cur, lang),
            } for p in (result.periods if result else ())],
        })
    open_minor = sum(i.open_minor for i in listed)
    indemnity = recovery_indemnity_minor(DebtorKind(case.debtor.kind), len(overdue)) if (
        euro and not step.before_due) else 0
    claim = open_minor + interest_total + indemnity
    d = case.debtor
    return {
        "lang": lang,
        "creditor": {
            "name": creditor.name, "address_lines": creditor.address_lines,
            "legal_id": creditor.legal_id, "phone": _unbroken(creditor.phone),
            "email": creditor.email, "iban": _unbroken(creditor.iban), "bic": creditor.bic,
            "signature": creditor.signature,
            "city": creditor.city,
        },
        "debtor": {
            "number": d.number, "name": d.name, "legal_id": d.legal_id, "professional": pro,
            "address_lines": [x for x in (d.address, f"{d.postcode} {d.city}".strip(),
                                          "" if d.country == "FR" else d.country) if x],
        },
        "letter": {
            "no": letter_no(step.name, d.number, cur, as_of), "stage": step.name,
            "date": day(as_of, lang), "date_long": day(as_of, lang, "long"),
            "registered": step.registered, "tracking_number": tracking_number,
            "deadline": day(as_of + timedelta(days=step.deadline_days), lang, "long"),
            "deadline_days": step.deadline_days,
        },
        "invoices": lines,
        "count": len(listed),
        "totals": {
            "open": money(open_minor, cur, lang), "interest": money(interest_total, cur, lang),
            "indemnity": money(indemnity, cur, lang), "claim": money(claim, cur, lang),
            "indemnity_each": money(4000, "EUR", lang), "indemnity_count": len(overdue),
            "has_interest": interest_total > 0, "has_indemnity": indemnity > 0,
        },
        "rate_assumed": assumed,
        "figures": Figures(open_minor, interest_total, indemnity, claim, assumed),
    }
