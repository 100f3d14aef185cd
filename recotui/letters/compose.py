"""A letter for one case and ladder step: its text, its number and its figures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import jinja2

from recotui.domain.interest import RateTable
from recotui.domain.ladder import LadderStep
from recotui.letters.model import Figures, build_context
from recotui.letters.render import environment, plain, render, template_name
from recotui.letters.settings import Creditor, LetterSettings
from recotui.store.ladder_store import LetterCase


@dataclass(frozen=True, slots=True)
class Letter:
    case_id: uuid.UUID
    letter_no: str
    step: LadderStep
    language: str
    template: str
    marked: str  # the text with its `**` heading marks, for the PDF
    figures: Figures

    @property
    def text(self) -> str:
        return plain(self.marked)


def compose(env: jinja2.Environment, case: LetterCase, step: LadderStep, as_of: date,
            creditor: Creditor, rates: RateTable, *, tracking_number: str = "") -> Letter:
    context = build_context(case, step, as_of, creditor, rates, tracking_number=tracking_number)
    name = template_name(env, step.name, str(step.stage), context["lang"])
    return Letter(case.case_id, context["letter"]["no"], step, context["lang"], name,
                  render(env, name, context), context["figures"])


def env_for(settings: LetterSettings) -> jinja2.Environment:
    return environment(str(settings.templates_dir) if settings.templates_dir else None)
