"""Push, pull and claims through a real uvicorn, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from recotui.store import actions, replica
from recotui.store.store import Store
from recotui.store.tables import Activity, AuditEntry, CollectionCase, Promise
from recotui.sync import SyncClient, SyncError


def count(store: Store, model, *where) -> int:  # noqa: ANN001
    with Session(store.engine) as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_health_needs_no_token_and_every_other_route_does(book):
    import httpx

    assert httpx.get(f"{book.url}/health").json()["status"] == "ok"
    for method, path in (("GET", "/v1/sync/pull"), ("POST", "/v1/sync/push"),
                         ("POST", "/v1/claims/next"), ("GET", "/v1/reports/aging")):
        assert httpx.request(method, f"{book.url}{path}").status_code == 401
        bad = httpx.request(method, f"{book.url}{path}", headers={"Authorization": "Bearer x"})
        assert bad.status_code == 401


def test_an_agent_pulls_only_their_cases_and_their_promise_reaches_the_server(book, replica_of):
    store, client = replica_of("ann")
    result = client.round()
    assert result.cases == 3 and count(store, CollectionCase) == 3
    case_id = book.cases["C001"]
    actions.record_promise(store, case_id, book.user_ids["ann"], amount_minor=50_000,
                           due_date=date.today() + timedelta(days=7))
    assert replica.pending_count(store) == 1
    pushed = client.round()
    assert pushed.pushed == 1 and pushed.refused == []
    assert replica.pending_count(store) == 0
    assert count(book.store, Promise, Promise.case_id == case_id) == 1
    assert count(book.store, AuditEntry) == 1
    # The server's copy came back: the local promise is the server's row, not a second one.
    assert count(store, Promise) == 1


def test_an_agent_cannot_see_a_case_of_another(book):
    with book.client("ann") as http:
        assert http.get(f"/v1/cases/{book.cases['C001'].hex}").status_code == 200
        assert http.get(f"/v1/cases/{book.cases['C004'].hex}").status_code == 403
        assert http.get("/v1/reports/aging").status_code == 403


def test_a_retried_push_applies_once_and_a_gap_is_409(book, replica_of):
    store, client = replica_of("ann")
    client.round()
    actions.add_note(store, book.cases["C002"], book.user_ids["ann"], reason="other",
                     text="rappeler lundi")
    batch = replica.pending_mutations(store, 10)
    body = {"client_id": store.client_id.hex, "mutations": batch}
    with book.client("ann") as http:
        first = http.post("/v1/sync/push", json=body)
        again = http.post("/v1/sync/push", json=body)  # the response to the first was "lost"
        assert first.status_code == again.status_code == 200
        # Skipped (at or below last_mutation_id), with what the server said the first time.
        assert again.json()["results"] == []
        assert again.json()["earlier"] == first.json()["results"] == [{"id": 1, "result": ""}]
        ahead = dict(batch[0], id=batch[0]["id"] + 5)
        gap = http.post("/v1/sync/push", json={"client_id": store.client_id.hex,
                                               "mutations": [ahead]})
        assert gap.status_code == 409 and gap.json()["last_mutation_id"] == 1
    assert count(book.store, Activity, Activity.kind == "note") == 1
    assert count(book.store, AuditEntry) == 1


def test_a_stale_stage_change_is_refused_and_the_agent_sees_why(book, replica_of):
    store, client = replica_of("ann")
    client.round()
    case_id = book.cases["C001"]
    actions.escalate(store, case_id, book.user_ids["ann"])
    # Meanwhile the supervisor gives the case to bob: the claim epoch rises.
    sup_store, sup = replica_of("sue")
    sup.round()
    actions.assign_case(sup_store, case_id, book.user_ids["sue"], agent_id=book.user_ids["bob"],
                        campaign_id=None)
    assert sup.round().refused == []
    actions.add_note(store, case_id, book.user_ids["ann"], reason="other", text="vu")
    result = client.round()
    assert [reason.split(":")[0] for _, reason in result.refused] == ["refused",
                                                                      "kept for review"]
    assert "changed hands" in result.refused[0][1]
    # The note is kept on the server, flagged; the stage did not move; ann lost the case.
    with Session(book.store.engine) as session:
        case = session.get(CollectionCase, case_id)
        assert case.stage == "preventive" and case.assigned_agent_id == book.user_ids["bob"]
        note = session.execute(select(Activity).where(Activity.kind == "note")).scalar_one()
        assert note.needs_review
    assert count(store, CollectionCase, CollectionCase.id == case_id) == 0  # tombstone
    assert result.removed == 1


def test_next_case_claims_are_exclusive(book):
    with book.client("ann") as ann, book.client("sue") as sue:
        first = ann.post("/v1/claims/next", json={"count": 2}).json()["claims"]
        rest = sue.post("/v1/claims/next", json={"count": 10}).json()["claims"]
    mine = {c["case_id"] for c in first}
    assert len(mine) == 2 and not mine & {c["case_id"] for c in rest}
    assert len(rest) == len(book.cases) - 2


def test_a_wrong_token_stops_the_round_with_a_clear_error(book, tmp_path):
    store = Store.open(tmp_path / "x.sqlite3")
    client = SyncClient(store, book.url, "not-a-token")
    with pytest.raises(SyncError, match="401"):
        client.round()
    client.close()
    store.close()


def test_a_retry_after_a_lost_response_still_says_what_was_refused(book):
    from datetime import UTC, datetime

    from recotui.domain.ids import uuid7

    client_id = uuid7().hex
    stale = {"id": 1, "name": "case.stage", "args": {
        "activity_id": uuid7().hex, "case_id": book.cases["C001"].hex, "author_id": None,
        "client_time": datetime.now(UTC).isoformat(), "claim_epoch": 0,
        "payload": {"from": "relance_2", "to": "mise_en_demeure"}}}
    body = {"client_id": client_id, "mutations": [stale]}
    with book.client("ann") as http:
        first = http.post("/v1/sync/push", json=body).json()
        again = http.post("/v1/sync/push", json=body).json()  # the first answer was lost
    assert first["results"][0]["result"].startswith("refused: The case moved to preventive")
    assert again["earlier"] == first["results"] and again["last_mutation_id"] == 1


def test_a_token_can_follow_token_on_a_command_line(book):
    """A bare urlsafe token begins with "-" one time in 64, and `--token T` then fails."""
    import argparse

    from recotui.store import sync_server
    from recotui.store.store import now_utc

    parser = argparse.ArgumentParser()
    parser.add_argument("--token")
    with book.store.transaction() as session:
        tokens = [sync_server.add_user(session, "ann", "agent", now_utc())[1]
                  for _ in range(300)]  # without the prefix, all 300 pass 1 time in 100
    for token in tokens:
        assert parser.parse_args(["--token", token]).token == token
    for token in tokens[:3]:
        with book.client("ann") as http:
            http.headers["Authorization"] = f"Bearer {token}"
            assert http.get("/v1/me").status_code == 200


def test_a_deactivated_user_is_refused_within_the_token_window(book, monkeypatch):
    import time

    import httpx

    from recotui.server import app as server_app
    from recotui.store.tables import User

    monkeypatch.setattr(server_app, "TOKEN_SECONDS", 0.3)
    headers = {"Authorization": f"Bearer {book.tokens['ann']}"}
    assert httpx.get(f"{book.url}/v1/me", headers=headers).status_code == 200
    with book.store.transaction() as session:
        session.get(User, book.user_ids["ann"]).active = False
    time.sleep(0.4)  # past the window in which a checked token is taken as it was
    refused = httpx.get(f"{book.url}/v1/me", headers=headers)
    assert refused.status_code == 401 and "revoked" in refused.text
