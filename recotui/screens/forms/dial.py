"""`t`: dial one of the debtor's numbers — only when the contact policy allows a call now,
never a do-not-call number. Starts the configured softphone command (`dial_command`, with
{number}) without waiting for it, logs the attempt, and leaves a call open on the case."""

from __future__ import annotations

import shlex
import subprocess

from textual.app import ComposeResult
from textual.widgets import Static

from recotui.domain.contact_policy import check_contact
from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, CodeList, FieldError


def dial_argv(template: str, number: str) -> list[str]:
    """The command to run: split like a shell would, then {number} put in each part, so a
    number with spaces stays one argument and nothing in it is ever interpreted."""
    return [part.replace("{number}", number) for part in shlex.split(template)]


def start_dialler(argv: list[str]) -> None:
    """Start the softphone and return at once; it outlives nothing of ours but its session."""
    subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)


class DialForm(ActionForm):
    TITLE_TEXT = "Dial"

    DEFAULT_CSS = """
    DialForm #policy { margin-bottom: 1; }
    DialForm #policy.-blocked { color: $text-error; }
    DialForm #dialler { margin-bottom: 1; }
    """

    def __init__(self, view) -> None:  # noqa: ANN001 - CaseView
        super().__init__(view)
        self.phones = list(view.debtor.phones)

    def fields(self) -> ComposeResult:
        choices = []
        for phone in self.phones:
            label = f"{phone.value:<20} {_(phone.label)}"
            if phone.do_not_call:
                label += "  · " + _("do not call")
            choices.append((label, phone.value))
        if choices:
            yield CodeList(choices, disabled=[p.value for p in self.phones if p.do_not_call],
                           id="number")
        else:
            yield Static(_("No phone number on file."), classes="hint")
        yield Static("", id="policy", markup=False)
        command = self.settings.dial_command
        yield Static(_("Dialler: {command}").format(command=command) if command else
                     _("No dial command is set (dial_command): dial the number by hand; "
                       "the attempt is still logged."), id="dialler", classes="hint",
                     markup=False)

    def hint(self) -> str:
        return _("1–9 or ↑↓ choose · Enter dials · Esc cancels")

    def on_mount(self) -> None:
        super().on_mount()
        decision = self.decision()
        policy = self.query_one("#policy", Static)
        policy.update(self.verdict(decision))
        policy.set_class(not decision.allowed, "-blocked")
        if not decision.allowed:
            self.show_error(_("Calling is not allowed now."))

    def decision(self):  # noqa: ANN201 - ContactDecision
        view = self.view
        return check_contact(self.app.contact_policy, now=self.now(),  # type: ignore[attr-defined]
                             debtor_timezone=view.debtor.timezone, attempts=view.call_attempts,
                             last_conversation_at=view.last_conversation_at,
                             do_not_call=view.debtor.do_not_call)

    def verdict(self, decision) -> str:  # noqa: ANN001 - ContactDecision
        """The verdict in the UI language, in the debtor's zone."""
        from recotui.widgets.policy_text import policy_text

        return policy_text(decision, self.view.debtor.timezone, self.now(),  # type: ignore[attr-defined]
                           self.settings.language)

    def prepare(self):  # noqa: ANN201
        from recotui.store.actions import ActionRefused, log_dial

        decision = self.decision()
        if not decision.allowed:
            raise FieldError(_("Calling is not allowed now: {reason}").format(
                reason=self.verdict(decision)))
        numbers = self.query("#number")
        number = numbers.first(CodeList).value if numbers else None
        callable_numbers = {p.value for p in self.phones if not p.do_not_call}
        if number is None or number not in callable_numbers:
            raise FieldError(_("No number that may be called."))
        template = self.settings.dial_command
        store, case_id, actor, now = self.store, self.view.id, self.actor, self.now()

        def dial():  # noqa: ANN202 - runs in the form's worker
            dialler = ""
            if template:
                argv = dial_argv(template, number)
                try:
                    start_dialler(argv)
                except (OSError, ValueError) as exc:
                    raise ActionRefused("The dial command could not start: {error}",
                                        error=str(exc)) from exc
                dialler = shlex.join(argv)
            return log_dial(store, case_id, actor, phone=number, dialler=dialler, now=now)

        self.number = number
        return dial

    def on_committed(self, result) -> None:  # noqa: ANN001
        if self.settings.dial_command:
            self.app.notify(_("Dialling {number}…").format(number=self.number))
        else:
            self.app.notify(_("Dial {number} by hand: no dial command is set.").format(
                number=self.number), severity="warning")
