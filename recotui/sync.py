"""The client side of sync: push the outbox, then pull by cursor, over httpx.

One round (`SyncClient.round`) pushes every pending mutation in batches, then pulls pages
until the server has no more. Each step commits locally before the next request, so a round
cut off anywhere is finished by the next one, and never applies anything twice.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from recotui.store import bulk_snapshot, replica
from recotui.store.store import Store

PUSH_BATCH = 500


class SyncError(Exception):
    """The server could not be reached, or refused the request; the message says which."""


@dataclass
class RoundResult:
    pushed: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (mutation id, reason)
    cases: int = 0
    removed: int = 0
    reset: bool = False
    cursor: int = 0


class SyncClient:
    def __init__(self, store: Store, server: str, token: str, *,
                 http: httpx.Client | None = None, timeout: float = 30.0,
                 push_batch: int = PUSH_BATCH) -> None:
        self.store, self.push_batch = store, push_batch
        self.http = http or httpx.Client(base_url=server.rstrip("/"), timeout=timeout)
        self.http.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:  # noqa: ANN003
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise SyncError(f"{self.http.base_url}: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code in (401, 403):
            raise SyncError(f"the server refused: {response.status_code} "
                            f"{_detail(response)}")
        return response

    def push(self, result: RoundResult | None = None) -> RoundResult:
        """Every pending mutation, in batches; each batch marked pushed once acknowledged."""
        result = result or RoundResult()
        resent = False
        while batch := replica.pending_mutations(self.store, self.push_batch):
            response = self._call("POST", "/v1/sync/push", json={
                "client_id": self.store.client_id.hex, "mutations": batch})
            if response.status_code == 409 and not resent:
                # The server lost what it had acknowledged (a restored backup): send it again.
                replica.unmark_after(self.store, response.json()["last_mutation_id"])
                resent = True
                continue
            if response.status_code != 200:
                raise SyncError(f"push: {response.status_code} {_detail(response)}")
            body = response.json()
            said = body["results"] + body.get("earlier", [])  # a retry learns what was said
            replica.mark_pushed(self.store, body["last_mutation_id"], said)
            result.pushed += len(batch)
            result.refused += [(r["id"], r["result"]) for r in said
                               if r["result"] not in ("", "duplicate")]
            if body["last_mutation_id"] < batch[-1]["id"]:
                raise SyncError("push: the server did not take the whole batch")
        return result

    def pull(self, result: RoundResult | None = None) -> RoundResult:
        result = result or RoundResult()
        if replica.cursor(self.store) == 0 and bulk_snapshot.book_is_empty(self.store):
            self._first_load(result)
        # The next page is asked for while this one is applied, so the server builds it while
        # the client writes (two cores at work). It is read only once this one is committed:
        # a failure to get it surfaces at the same point as before.
        with ThreadPoolExecutor(1, thread_name_prefix="pull") as ahead:
            next_page: Future[httpx.Response] | None = None
            while True:
                if next_page is not None:
                    response, next_page = next_page.result(), None
                else:
                    response = self._page(replica.cursor(self.store))
                if response.status_code != 200:
                    raise SyncError(f"pull: {response.status_code} {_detail(response)}")
                page = response.json()
                if page["reset"]:
                    if result.reset:
                        raise SyncError("pull: the server asked for a reset twice in one round")
                    # Nothing local is lost: the outbox goes first, then the copy is reloaded.
                    self.push(result)
                    replica.reset(self.store)
                    result.reset = True
                    continue
                if page["has_more"]:
                    next_page = ahead.submit(self._page, page["cursor"])
                applied = replica.apply_page(self.store, page)
                result.cases += applied.cases
                result.removed += applied.removed
                result.cursor = page["cursor"]
                if not page["has_more"]:
                    return result

    def _first_load(self, result: RoundResult) -> None:
        """An empty store loads the whole scope from one file (bulk_snapshot); pages follow
        from its version. A server without the route, or a file of another schema: pages."""
        database = self.store.engine.url.database
        if self.store.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            return
        handle, name = tempfile.mkstemp(suffix=".snapshot", dir=Path(database).parent)
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                try:
                    with self.http.stream("GET", "/v1/sync/snapshot") as response:
                        if response.status_code == 404:
                            return
                        if response.status_code != 200:
                            response.read()
                            raise SyncError(f"snapshot: {response.status_code} "
                                            f"{_detail(response)}")
                        for chunk in response.iter_bytes(1 << 20):
                            out.write(chunk)
                except httpx.HTTPError as exc:
                    raise SyncError(f"{self.http.base_url}: {exc.__class__.__name__}: "
                                    f"{exc}") from exc
            loaded = bulk_snapshot.load(self.store, path)
            if loaded is not None:
                result.cases += loaded[0]
                result.cursor = loaded[1]
        finally:
            path.unlink(missing_ok=True)

    def _page(self, cursor: int) -> httpx.Response:
        return self._call("GET", "/v1/sync/pull", params={
            "cursor": cursor, "client_id": self.store.client_id.hex,
            "reference": replica.reference_held(self.store)})

    def take(self, count: int, lease_seconds: int = 8 * 3600) -> list[dict]:
        """Lease the `count` highest-priority free cases in scope, to work them offline; the
        next pull brings them whole."""
        response = self._call("POST", "/v1/claims/next",
                              json={"count": count, "lease_seconds": lease_seconds})
        if response.status_code != 200:
            raise SyncError(f"claims: {response.status_code} {_detail(response)}")
        return response.json()["claims"]

    def claim(self, case_ids: list, lease_seconds: int) -> list[dict]:
        """Lease these cases (renewing the caller's own leases); the ones another agent holds
        are left out of the answer."""
        response = self._call("POST", "/v1/claims", json={
            "case_ids": [c.hex for c in case_ids], "lease_seconds": lease_seconds})
        if response.status_code != 200:
            raise SyncError(f"claims: {response.status_code} {_detail(response)}")
        return response.json()["claims"]

    def round(self) -> RoundResult:
        return self.pull(self.push())


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail", "")
    except ValueError:
        detail = response.text[:200]
    return str(detail)
