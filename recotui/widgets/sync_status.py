"""The sync indicator: online or offline, mutations waiting to be pushed, last sync time.

It watches the app's `sync_state`, which the app's sync worker sets after every round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.widgets import Static

from recotui.i18n import _


@dataclass(frozen=True)
class SyncState:
    online: bool
    pending: int  # mutations not yet acknowledged by the server
    last_sync: datetime | None  # aware; the last round that completed
    error: str = ""  # why the last round failed


def sync_text(state: SyncState) -> str:
    mark = "●" if state.online else "○"
    parts = [f"{mark} " + (_("online") if state.online else _("offline"))]
    if state.pending:
        parts.append(_("{n} to send").format(n=state.pending))
    if state.last_sync is not None:
        parts.append(_("sync {time}").format(time=f"{state.last_sync.astimezone():%H:%M}"))
    return " · ".join(parts)


class SyncIndicator(Static):
    DEFAULT_CSS = """
    SyncIndicator { width: auto; padding: 0 1; }
    SyncIndicator.-offline { color: $warning; }
    """

    def on_mount(self) -> None:
        self.display = self.app.sync_state is not None  # type: ignore[attr-defined]
        self.watch(self.app, "sync_state", self.show)

    def show(self, state: SyncState | None) -> None:
        self.display = state is not None
        if state is None:
            return
        self.update(sync_text(state))
        self.set_class(not state.online, "-offline")
        self.tooltip = state.error or None
