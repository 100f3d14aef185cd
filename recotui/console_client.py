"""Where the supervisor console reads its figures: the local store, or the server's
`/v1/reports/console` (gzip, and 304 while nothing changed)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from recotui.domain.console import CaseLine, Console


class ConsoleError(Exception):
    pass


class LocalConsole:
    """Reads the local store through a session factory (the app's store_session)."""

    remote = False

    def __init__(self, session: Callable[[], Any], targets: Mapping[str, int]) -> None:
        self._session, self.targets = session, dict(targets)
        self.last_bytes = 0

    def read(self, now: datetime) -> Console:
        with self._session() as session:  # first: see App.store
            from recotui.store.supervisor_reads import console

            return console(session, now, self.targets)

    def cases(self, what: str, key: str, now: datetime) -> list[CaseLine]:
        with self._session() as session:
            from recotui.store.supervisor_reads import drill

            return drill(session, what, key, now)

    def close(self) -> None:
        pass


class RemoteConsole:
    """Reads the server's console route. `last_bytes`: what the last read took off the wire
    (the compressed body and the response headers)."""

    remote = True

    def __init__(self, server: str, token: str, targets: Mapping[str, int],
                 timeout: float = 20) -> None:
        import httpx

        self.server, self.targets = server.rstrip("/"), dict(targets)
        self._http = httpx.Client(base_url=self.server, timeout=timeout,
                                  headers={"Authorization": f"Bearer {token}",
                                           "Accept-Encoding": "gzip"})
        self._etag: str | None = None
        self._last: Console | None = None
        self.last_bytes = 0

    def _get(self, path: str, params: dict[str, str], headers: dict[str, str] | None = None
             ) -> Any:
        import httpx

        try:
            response = self._http.get(path, params=params, headers=headers or {})
        except httpx.HTTPError as exc:
            raise ConsoleError(f"{self.server}: {exc}") from exc
        head = sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
        self.last_bytes = response.num_bytes_downloaded + head
        if response.status_code not in (200, 304):
            raise ConsoleError(f"the server answered {response.status_code}: "
                               f"{response.text[:200]}")
        return response

    def read(self, now: datetime) -> Console:
        params = {"now": now.isoformat(), "targets": json.dumps(self.targets)}
        headers = {"If-None-Match": self._etag} if self._etag and self._last else {}
        response = self._get("/v1/reports/console", params, headers)
        if response.status_code == 304 and self._last is not None:
            return replace(self._last, now=now)
        self._etag = response.headers.get("etag")
        self._last = Console.from_json(response.json())
        return self._last

    def cases(self, what: str, key: str, now: datetime) -> list[CaseLine]:
        response = self._get("/v1/reports/console/cases",
                             {"what": what, "key": key, "now": now.isoformat()})
        return [CaseLine.from_json(row) for row in response.json()]

    def close(self) -> None:
        self._http.close()


def case_uuid(line: CaseLine) -> uuid.UUID:
    return uuid.UUID(hex=line.case_id)
