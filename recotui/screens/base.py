"""Base screens: key hints in the UI language.

Bindings are declared in English at import time, before the language is known; the footer,
the help screen and the command palette all read `active_bindings`, so translating there
covers every place a key's description is shown.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen

from recotui.i18n import _


def _translated(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    return {
        key: active._replace(binding=replace(active.binding,
                                             description=_(active.binding.description)))
        for key, active in bindings.items()
    }


class RecoScreen(Screen):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _translated(super().active_bindings)


class RecoModal(ModalScreen):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _translated(super().active_bindings)
