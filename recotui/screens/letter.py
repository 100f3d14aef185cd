"""The case screen's letter keys: `l` previews the letter for the case's current stage and,
on Enter, writes it (PDF and text), e-mails it if its step goes by e-mail, and records it;
`L` writes the litigation file (dossier contentieux) and shows where.

Both are action forms (recotui/screens/forms/base.py): Esc cancels, errors show on the
form's error line, and the work runs in a thread worker. The letter form closes only once
the letter's transaction has committed; the litigation file form stays up to show where the
files went, and Esc then closes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from recotui.i18n import _
from recotui.screens.forms.base import ActionForm, FieldError
from recotui.widgets.case_format import CHANNELS, label

log = logging.getLogger(__name__)

SHOWN_FILES = 8  # lines of the litigation file's list; the form fits 80x24


def _letter_errors() -> tuple[type[Exception], ...]:
    """What the letters code raises for the user to read (the message says why)."""
    from recotui.letters.oneoff import LetterRefused
    from recotui.letters.render import LetterTemplateError
    from recotui.letters.settings import LetterSettingsError

    return LetterRefused, LetterTemplateError, LetterSettingsError


def _letter_settings(settings: Any) -> Any:  # noqa: ANN401 - recotui.config.Settings
    from recotui.letters.settings import letter_settings

    return letter_settings(settings)


class _LetterWork(ActionForm):
    """An action form whose work is the letters code's: its refusals are shown as they are."""

    @work(thread=True, exclusive=True, group="form-action")
    def run_action(self, call: Callable[[], Any]) -> None:
        try:
            result = call()
        except _letter_errors() as exc:
            self.app.call_from_thread(self._refused, _(str(exc)))
        except Exception as exc:  # the store, the disk or the mail server failed: say so
            log.exception("letter action failed")
            self.app.call_from_thread(self._refused, _("Not done: {error}").format(
                error=f"{type(exc).__name__}: {exc}"))
        else:
            self.app.call_from_thread(self._committed, result)


class LetterForm(_LetterWork):
    """`l`: the letter for the case's current stage, as plain text; Enter sends it."""

    TITLE_TEXT = "Letter"

    # The letter is 78 columns wide: the box drops its side borders to show it unwrapped.
    DEFAULT_CSS = """
    LetterForm > #form {
        width: 100%; max-height: 100%; padding: 0; border-left: none; border-right: none;
    }
    LetterForm #form-heading { padding: 0 1; }
    LetterForm #letter-preview {
        height: 13; scrollbar-size-vertical: 1; overflow-x: auto;
        background-tint: $foreground 4%;
    }
    LetterForm #letter-preview:focus { background-tint: $foreground 8%; }
    LetterForm #letter-text { width: auto; padding: 0 0 0 1; }
    LetterForm .row { padding: 0 1; }
    LetterForm #form-error { margin: 0 1; }
    LetterForm #form-hint { padding: 0 1; }
    """

    BINDINGS = [Binding("ctrl+s", "submit", "Send", id="letter.send", priority=True)]

    def __init__(self, view: Any) -> None:  # noqa: ANN401 - a CaseView
        super().__init__(view)
        self.letter: Any = None  # recotui.letters.compose.Letter, once previewed
        self.preview_error = ""
        self.sent: Any = None  # recotui.letters.oneoff.Sent, once committed

    def heading(self) -> str:
        return _("{name} · letter for the stage {stage}").format(
            name=self.view.debtor.name, stage=label(_stage_labels(), self.view.stage))

    def fields(self) -> ComposeResult:
        with VerticalScroll(id="letter-preview"):
            yield Static(_("Loading…"), id="letter-text", markup=False)
        yield Horizontal(Label(_("Tracking no."), classes="field-label"),
                         Input(id="letter-tracking", compact=True, classes="wide",
                               placeholder=_("registered post number, if known")),
                         classes="row", id="letter-tracking-row")

    def hint(self) -> str:
        return _("Enter sends · ↑↓ PgUp/PgDn scroll · Esc cancels")

    def on_mount(self) -> None:
        self.query_one("#letter-tracking-row").display = False
        self.query_one("#letter-preview").focus()
        self.load_preview()

    @work(thread=True, exclusive=True, group="letter-preview")
    def load_preview(self) -> None:
        from recotui.letters.oneoff import preview

        try:
            letters = _letter_settings(self.settings)
            letter = preview(self.store, letters, self.view.id, None, self.today())
        except _letter_errors() as exc:
            self.app.call_from_thread(self._preview_failed, _(str(exc)))
        except Exception as exc:  # noqa: BLE001 - shown, never raised into the app
            log.exception("letter preview failed")
            self.app.call_from_thread(self._preview_failed, _("No preview: {error}").format(
                error=f"{type(exc).__name__}: {exc}"))
        else:
            self.app.call_from_thread(self._previewed, letter)

    def _previewed(self, letter: Any) -> None:  # noqa: ANN401
        self.letter = letter
        self.query_one("#letter-text", Static).update(letter.text)
        heading = _("{step} {channel} · {no}").format(
            step=label(_stage_labels(), str(letter.step.stage)),
            channel=label(CHANNELS, "registered" if letter.step.registered
                          and str(letter.step.channel) == "letter" else str(letter.step.channel)),
            no=letter.letter_no)
        self.query_one("#form-heading", Static).update(heading)
        self.query_one("#letter-tracking-row").display = bool(letter.step.registered)

    def _preview_failed(self, message: str) -> None:
        self.preview_error = message
        self.query_one("#letter-text", Static).update("")
        self.show_error(message)

    def prepare(self) -> Callable[[], Any]:
        from recotui.letters.oneoff import send

        if self.letter is None:
            raise FieldError(self.preview_error or _("The letter is still being prepared."))
        tracking = self.query_one("#letter-tracking", Input).value.strip()
        return partial(send, self.store, _letter_settings(self.settings), self.view.id,
                       self.letter.step.name, self.today(), tracking_number=tracking,
                       now=self.now(), actor_id=self.actor)

    def on_committed(self, result: Any) -> None:  # noqa: ANN401 - recotui.letters.oneoff.Sent
        self.sent = result
        if result.recorded:
            message = _("Letter {no} sent {channel}: {file}")
        else:
            message = _("Letter {no} was already recorded today; written again: {file}")
        self.app.notify(message.format(
            no=result.letter.letter_no, file=result.pdf,
            channel=label(CHANNELS, result.channel)))


class DossierForm(_LetterWork):
    """`L`: write the litigation file; the case moves to contentieux. Shows where it went."""

    TITLE_TEXT = "Litigation file"

    DEFAULT_CSS = """
    DossierForm #question { margin-bottom: 1; text-style: bold; }
    DossierForm #dossier-where { margin-bottom: 1; display: none; }
    """

    def __init__(self, view: Any) -> None:  # noqa: ANN401 - a CaseView
        super().__init__(view)
        self.dossier: Any = None  # recotui.letters.dossier.Dossier, once written

    def fields(self) -> ComposeResult:
        yield Static(_("Write the litigation file for an injunction to pay or a bailiff?"),
                     id="question")
        yield Static(_("Summary, statement of account, letters sent, contact timeline and "
                       "promises. The case moves to contentieux."), id="consequence",
                     classes="hint")
        yield Static("", id="dossier-where", markup=False)

    def hint(self) -> str:
        return _("Enter writes the file · Esc cancels")

    def prepare(self) -> Callable[[], Any]:
        from recotui.letters.dossier import build_dossier

        return partial(build_dossier, self.store, _letter_settings(self.settings),
                       self.view.id, self.today(), language=self.language, now=self.now(),
                       actor_id=self.actor)

    def action_submit(self) -> None:
        if self.dossier is not None:  # written: Enter closes, like Esc
            self.dismiss(True)
            return
        super().action_submit()

    def action_cancel(self) -> None:
        if self.dossier is not None:
            self.dismiss(True)
            return
        super().action_cancel()

    def _committed(self, result: Any) -> None:  # noqa: ANN401 - recotui.letters.dossier.Dossier
        """Written and the case moved: stay up to show where, until Esc."""
        self.busy = False
        self.dossier = result
        request_sync = getattr(self.app, "request_sync", None)
        if request_sync is not None:
            request_sync()
        lines = [_("Written to {folder}").format(folder=result.folder)]
        names = [f"  {path.relative_to(result.folder)}" for path in result.files]
        if len(names) > SHOWN_FILES:
            more = len(names) - SHOWN_FILES + 1
            names = [*names[:SHOWN_FILES - 1], "  " + _("… and {count} more").format(count=more)]
        lines += names
        lines.append(_("The case moved to contentieux.") if result.moved
                     else _("The case was at contentieux already."))
        where = self.query_one("#dossier-where", Static)
        where.update("\n".join(lines))
        where.display = True
        self.query_one("#question").display = False
        self.query_one("#consequence").display = False
        self.query_one("#form-hint", Static).update(_("Esc closes"))


def _stage_labels() -> dict[str, str]:
    from recotui.domain.vocab import STAGE_LABELS

    return STAGE_LABELS
