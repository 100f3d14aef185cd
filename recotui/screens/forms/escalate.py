"""`x`: escalate the case one rung up the ladder, after a confirmation:
relance 1 → relance 2 → mise en demeure → contentieux."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from recotui.domain.vocab import STAGE_LABELS, next_stage
from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, FieldError

CONSEQUENCES = {
    "relance_2": "A second, firmer reminder follows.",
    "mise_en_demeure": "A formal notice (mise en demeure) goes by registered letter.",
    "contentieux": "The case goes to litigation: injunction to pay, bailiff.",
}


def stage_label(code: str) -> str:
    return _(STAGE_LABELS.get(code, code))


class EscalateForm(ActionForm):
    TITLE_TEXT = "Escalate"

    BINDINGS = [
        Binding("y", "submit", "Yes", show=False),
        Binding("n", "cancel", "No", show=False),
    ]

    DEFAULT_CSS = """
    EscalateForm #question { margin-bottom: 1; text-style: bold; }
    EscalateForm #consequence { margin-bottom: 1; }
    """

    def fields(self) -> ComposeResult:
        target = next_stage(self.view.stage)
        if target is None:
            yield Static(_("This case is already at {stage}, the last stage: it cannot be "
                           "escalated further.").format(stage=stage_label(self.view.stage)),
                         id="question")
            return
        yield Static(_("Move the case from {old} to {new}?").format(
            old=stage_label(self.view.stage), new=stage_label(target)), id="question")
        consequence = CONSEQUENCES.get(target)
        if consequence:
            yield Static(_(consequence), id="consequence", classes="hint")

    def hint(self) -> str:
        if next_stage(self.view.stage) is None:
            return _("Esc closes")
        return _("Enter or y escalates · Esc or n cancels")

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import escalate

        if next_stage(self.view.stage) is None:
            raise FieldError(_("Refused: {stage} is the last stage.").format(
                stage=stage_label(self.view.stage)))
        return partial(escalate, self.store, self.view.id, self.actor, now=self.now())
