"""Network and server faults, on SQLite and on PostgreSQL: lost responses, a server killed in
the middle of a push, duplicated and reordered batches, 50 agents racing for the next case,
bad input, and (PostgreSQL) a cursor that never skips a change committed late.

Each shows exact-once effects: every fact once on the server, every mutation audited once,
no case claimed twice, and the client's copy equal to the server's.
"""

from __future__ import annotations

import random
import socket
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import select, text
from sqlmodel import Session

from recotui.server.models import MAX_BATCH
from recotui.store import actions, replica, sync_server
from recotui.store.importing import apply_book
from recotui.store.store import Store, now_utc
from recotui.store.tables import Activity, AuditEntry, CollectionCase, Promise, SyncChange, User
from recotui.sync import SyncClient, SyncError
from tests.server.conftest import free_port, seed_book
from tests.server.helpers import (
    ServerProcess,
    activity_ids,
    add_agents,
    add_campaign,
    audit_keys,
    bigger_book,
    case_copy,
    case_ids_of,
    count,
    local_case_ids,
    lossy_client,
    row_counts,
    scope_of,
)


@pytest.fixture
def replicas(tmp_path):
    """replicas(username, url, token) → (store, sync client, lossy transport)."""
    opened = []

    def make(url: str, token: str):
        store = Store.open(tmp_path / f"client-{len(opened)}.sqlite3")
        http, transport = lossy_client(url)
        client = SyncClient(store, url, token, http=http)
        opened.append((store, client))
        return store, client, transport

    yield make
    for store, client in opened:
        client.close()
        store.close()


def assert_converged(server: Store, client: Store, username: str) -> None:
    """The client holds exactly the cases in its scope, each equal to the server's copy."""
    scope = scope_of(server, username)
    assert local_case_ids(client) == scope
    assert case_copy(client, scope) == case_copy(server, scope)


def assert_exact_once(server: Store, client: Store, expected_mutations: int) -> None:
    """Every mutation of `client` audited once, ids 1..n, and each of its facts on the server
    once."""
    keys = audit_keys(server)
    mine = sorted(m for (c, m) in keys if c == client.client_id)
    assert mine == list(range(1, expected_mutations + 1))
    assert all(n == 1 for n in keys.values())
    local = activity_ids(client)
    on_server = activity_ids(server, None)
    assert all(on_server[a] == 1 for a in local), "a local fact is missing on the server"


# -- a response lost after commit ---------------------------------------------------------------


def test_a_push_response_lost_after_commit_then_a_retry_applies_once(book, replicas):
    store, client, transport = replicas(book.url, book.tokens["ann"])
    client.round()
    ann, case_id = book.user_ids["ann"], book.cases["C001"]
    actions.add_note(store, case_id, ann, reason="other", text="rappeler")
    actions.log_call(store, case_id, ann, disposition="no_answer", phone="+33 1")
    actions.record_promise(store, book.cases["C002"], ann, amount_minor=10_000,
                           due_date=date.today() + timedelta(days=5))
    transport.lose.add("/v1/sync/push")
    with pytest.raises(SyncError, match="lost"):
        client.round()
    assert transport.lost == 1
    # The server committed the batch; the client does not know it yet.
    assert replica.pending_count(store) == 3
    assert count(book.store, AuditEntry) == 3
    result = client.round()  # the retry: every id is at or below the server's last
    assert replica.pending_count(store) == 0 and result.refused == []
    assert count(book.store, Activity) == 3 and count(book.store, Promise) == 1
    assert_exact_once(book.store, store, 3)
    assert_converged(book.store, store, "ann")


def test_a_pull_response_lost_is_pulled_again(book, replicas):
    store, client, transport = replicas(book.url, book.tokens["sue"])
    transport.lose.add("/v1/sync/snapshot")  # the first load, lost: nothing written
    with pytest.raises(SyncError, match="lost"):
        client.round()
    assert replica.cursor(store) == 0 and local_case_ids(store) == set()
    transport.lose.add("/v1/sync/pull")  # then the page after the load, lost
    with pytest.raises(SyncError, match="lost"):
        client.round()
    loaded_at = replica.cursor(store)
    assert loaded_at > 0 and local_case_ids(store) == scope_of(book.store, "sue")
    with book.store.transaction() as session:  # a change after the load's version
        session.get(CollectionCase, book.cases["C001"]).priority = 7
        sync_server.log_changes(session, [book.cases["C001"]])
    assert client.round().cursor > loaded_at
    assert_converged(book.store, store, "sue")


def test_a_connection_closed_before_the_answer_is_read_then_a_retry_applies_once(book, replicas):
    """The request goes out whole on a raw socket, which is closed before anything is read:
    the server may or may not have committed; either way the retry applies it once."""
    store, client, _ = replicas(book.url, book.tokens["bob"])
    client.round()
    bob = book.user_ids["bob"]
    for n in range(20):
        actions.add_note(store, book.cases["C004"], bob, reason="other", text=f"note {n}")
    body = httpx.Request("POST", f"{book.url}/v1/sync/push", json={
        "client_id": store.client_id.hex,
        "mutations": replica.pending_mutations(store, 100)}).read()
    for _ in range(3):  # the same request, cut off three times
        with socket.create_connection(("127.0.0.1", int(book.url.rsplit(":", 1)[1]))) as sock:
            sock.sendall(b"POST /v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Authorization: Bearer " + book.tokens["bob"].encode() + b"\r\n"
                         b"Content-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    client.round()
    assert replica.pending_count(store) == 0
    assert count(book.store, Activity) == 20
    assert_exact_once(book.store, store, 20)
    assert_converged(book.store, store, "bob")


# -- the server killed in the middle of a push ------------------------------------------------


@pytest.mark.slow
def test_the_server_killed_mid_push_and_restarted_applies_everything_once(
        database_url, server_store, replicas, tmp_path):
    tokens, user_ids, cases = seed_book(server_store)
    running = ServerProcess(database_url, free_port(), tmp_path / "server.log")
    running.start()
    try:
        store, client, _ = replicas(running.url, tokens["ann"])
        client.push_batch = 50
        client.round()
        ann, total = user_ids["ann"], 300
        mine = [cases["C001"], cases["C002"], cases["C003"]]
        for n in range(total):
            if n % 10 == 9:
                actions.log_call(store, mine[n % 3], ann, disposition="no_answer")
            else:
                actions.add_note(store, mine[n % 3], ann, reason="other", text=f"note {n}")
        failure: list[BaseException] = []

        def push() -> None:
            try:
                client.round()
            except SyncError as exc:
                failure.append(exc)

        pushing = threading.Thread(target=push)
        pushing.start()
        deadline = time.monotonic() + 60
        while count(server_store, AuditEntry) == 0 and time.monotonic() < deadline:
            time.sleep(0.002)
        running.kill()  # the first batch is in, the next one on its way
        pushing.join(60)
        assert failure, "the round ended before the server was killed"
        committed = count(server_store, AuditEntry)
        assert 0 < committed < total
        assert committed % client.push_batch == 0  # whole batches, never part of one
        running.start()
        client.round()
    finally:
        running.stop()
    assert replica.pending_count(store) == 0
    assert count(server_store, Activity) == total
    assert_exact_once(server_store, store, total)
    assert_converged(server_store, store, "ann")


# -- duplicated and reordered requests ----------------------------------------------------------


def _notes(store: Store, client: SyncClient, case_id: uuid.UUID, author: uuid.UUID,
           n: int) -> list[dict]:
    """n notes written on the client's copy (pulled first); its whole outbox."""
    client.pull()
    for k in range(n):
        actions.add_note(store, case_id, author, reason="other", text=f"n{k}")
    return replica.pending_mutations(store, 10_000)


def _post_together(url: str, token: str, bodies: list[dict]) -> list[httpx.Response]:
    """Every body posted at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(bodies))

    def send(body: dict) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=30,
                          headers={"Authorization": f"Bearer {token}"}) as http:
            barrier.wait()
            return http.post("/v1/sync/push", json=body)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


def test_the_same_batch_sent_several_times_at_once_applies_once(book, replicas):
    ann = book.user_ids["ann"]
    for attempt in range(3):  # a new client each time: its very first push, duplicated
        store, client, _ = replicas(book.url, book.tokens["ann"])
        batch = _notes(store, client, book.cases["C001"], ann, 30)
        body = {"client_id": store.client_id.hex, "mutations": batch}
        responses = _post_together(book.url, book.tokens["ann"], [body] * 6)
        assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
        assert {r.json()["last_mutation_id"] for r in responses} == {30}
        # One of them applied the batch; the others found it applied and skipped it all.
        applied = [r.json()["results"] for r in responses if r.json()["results"]]
        assert len(applied) == 1 and [x["id"] for x in applied[0]] == list(range(1, 31))
        client.round()
        assert_exact_once(book.store, store, 30)
        assert count(book.store, Activity) == 30 * (attempt + 1)
    assert_converged(book.store, store, "ann")


def test_batches_out_of_order_get_409_then_apply_once_in_order(book, replicas):
    store, client, _ = replicas(book.url, book.tokens["bob"])
    batch = _notes(store, client, book.cases["C005"], book.user_ids["bob"], 9)
    first, second, third = batch[:3], batch[3:6], batch[6:]
    cid = store.client_id.hex
    with book.client("bob") as http:
        before = row_counts(book.store)
        late = http.post("/v1/sync/push", json={"client_id": cid, "mutations": second})
        assert late.status_code == 409 and late.json()["last_mutation_id"] == 0
        # Nothing of the early batch went in, not even the client's row.
        assert row_counts(book.store) == before
        assert http.post("/v1/sync/push", json={"client_id": cid,
                                                "mutations": first}).status_code == 200
        # A batch reaching back over applied ids applies only what is new.
        overlap = http.post("/v1/sync/push", json={"client_id": cid,
                                                   "mutations": first[1:] + second})
        assert overlap.status_code == 200
        assert [r["id"] for r in overlap.json()["results"]] == [4, 5, 6]
        # Sent in reverse order inside one batch: the server sorts it.
        reverse = http.post("/v1/sync/push", json={"client_id": cid,
                                                   "mutations": list(reversed(third))})
        assert reverse.status_code == 200 and reverse.json()["last_mutation_id"] == 9
        again = http.post("/v1/sync/push", json={"client_id": cid, "mutations": batch})
        assert again.status_code == 200 and again.json()["results"] == []
    client.round()
    assert count(book.store, Activity) == 9
    assert_exact_once(book.store, store, 9)
    assert_converged(book.store, store, "bob")


def test_batches_racing_out_of_order_end_applied_once(book, replicas):
    """Two batches of one client sent at once, the later one first: whichever loses gets 409
    and is sent again, as the client does after a gap."""
    store, client, _ = replicas(book.url, book.tokens["ann"])
    batch = _notes(store, client, book.cases["C003"], book.user_ids["ann"], 40)
    cid = store.client_id.hex
    for _ in range(3):
        bodies = [{"client_id": cid, "mutations": batch[20:]},
                  {"client_id": cid, "mutations": batch[:20]}]
        codes = [r.status_code for r in _post_together(book.url, book.tokens["ann"], bodies)]
        assert set(codes) <= {200, 409} and 200 in codes
        if 409 in codes:
            with book.client("ann") as http:
                assert http.post("/v1/sync/push", json=bodies[0]).status_code == 200
    client.round()
    assert count(book.store, Activity) == 40
    assert_exact_once(book.store, store, 40)
    assert_converged(book.store, store, "ann")


# -- 50 agents racing for the next case ---------------------------------------------------------


@pytest.mark.slow
def test_fifty_agents_racing_for_the_next_case_never_share_one(book):
    apply_book(book.store, bigger_book(114))  # 120 open cases with the fixture book's 6
    every = case_ids_of(book.store)
    campaign = add_campaign(book.store, "relances", every.values())
    agents = add_agents(book.store, 50, campaign)
    with Session(book.store.engine) as session:
        epochs = dict(session.execute(
            select(CollectionCase.id, CollectionCase.claim_epoch)).all())
    barrier = threading.Barrier(len(agents))

    def work(token: str) -> list[tuple[str, int]]:
        got = []
        with httpx.Client(base_url=book.url, timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as http:
            barrier.wait()
            for _ in range(len(every)):  # until nothing is left: 1 to 3 cases at a time
                response = http.post("/v1/claims/next", json={"count": random.randint(1, 3)})
                assert response.status_code == 200, response.text
                claims = response.json()["claims"]
                if not claims:
                    return got
                got += [(c["case_id"], c["claim_epoch"]) for c in claims]
            raise AssertionError("the server kept handing out cases")

    with ThreadPoolExecutor(len(agents)) as pool:
        results = dict(zip(agents, pool.map(work, [token for _, token in agents.values()]),
                           strict=True))
    claimed = Counter(case_id for got in results.values() for case_id, _ in got)
    assert [case for case, n in claimed.items() if n > 1] == []  # no case claimed twice
    assert len(claimed) == len(every)  # and every open case was handed out
    assert sum(1 for got in results.values() if got) > 1  # the agents did race
    with Session(book.store.engine) as session:
        holders = sync_server.claim_holders(session)
    for username, got in results.items():
        for case_hex, epoch in got:
            case_id = uuid.UUID(hex=case_hex)
            assert holders[case_id] == agents[username][0]  # the server agrees who holds it
            assert epoch == epochs[case_id] + 1  # the fencing counter rose, once


# -- bad input ------------------------------------------------------------------------------------


def _mutation(book, mid: int = 1, **args) -> dict:
    return {"id": mid, "name": "case.note", "args": {
        "activity_id": uuid.uuid4().hex, "case_id": book.cases["C001"].hex,
        "author_id": book.user_ids["ann"].hex, "client_time": now_utc().isoformat(),
        "claim_epoch": 0, "payload": {"reason": "other", "text": "x"}, **args}}


def test_bad_input_gets_a_clear_4xx_and_writes_nothing(book):
    cid = uuid.uuid4().hex
    good = {"client_id": cid, "mutations": [_mutation(book)]}
    oversized = {"client_id": cid,
                 "mutations": [_mutation(book, n) for n in range(1, MAX_BATCH + 2)]}
    bad_json = [
        ("POST", "/v1/sync/push", b'{"client_id": "' + cid.encode() + b'", "mutations": [',
         422),
        ("POST", "/v1/sync/push", b"not json at all", 422),
        ("POST", "/v1/sync/push", b"\xff\xfe\x00", 422),
        ("POST", "/v1/claims/next", b"{count: 2}", 422),
        ("POST", "/v1/claims", b"[", 422),
        ("POST", "/v1/users", b'{"username": "eve", "role": ', 422),
    ]
    wrong = [
        ("POST", "/v1/sync/push", {"client_id": "not-an-id", "mutations": []}, 422),
        ("POST", "/v1/sync/push", {"client_id": cid, "mutations": "all of them"}, 422),
        ("POST", "/v1/sync/push", {"client_id": cid, "mutations": [{"id": "one",
                                                                    "name": "case.note",
                                                                    "args": {}}]}, 422),
        ("POST", "/v1/sync/push", {"client_id": cid, "mutations": [
            dict(_mutation(book), args=["a", "list"])]}, 422),
        ("POST", "/v1/sync/push", {"client_id": cid, "mutations": [_mutation(book, 0)]}, 422),
        ("POST", "/v1/sync/push", {"client_id": cid, "mutations": [_mutation(book, 2**63)]},
         (409, 422)),  # past any id a database can hold: a gap at best
        ("POST", "/v1/sync/push", {"client_id": cid, "mutations": [_mutation(book, 1.5)]},
         422),
        ("POST", "/v1/sync/push", dict(good, extra=1), 422),
        ("POST", "/v1/sync/push", {"mutations": []}, 422),
        ("POST", "/v1/sync/push", oversized, 422),
        ("POST", "/v1/claims/next", {"count": 0}, 422),
        ("POST", "/v1/claims/next", {"count": "2"}, 422),
        ("POST", "/v1/claims/next", {"count": 10**6}, 422),
        ("POST", "/v1/claims/next", {"count": 1, "lease_seconds": -5}, 422),
        ("POST", "/v1/claims", {"case_ids": []}, 422),
        ("POST", "/v1/claims", {"case_ids": ["x"]}, 422),
        ("POST", "/v1/claims", {"case_ids": [book.cases["C004"].hex]}, 403),
        ("POST", "/v1/claims/release", {"case_ids": "C001"}, 422),
        ("GET", "/v1/sync/pull?cursor=-1", None, 422),
        ("GET", "/v1/sync/pull?cursor=abc", None, 422),
        ("GET", "/v1/sync/pull?cursor=99999999999999999999999", None, 422),
        ("GET", "/v1/sync/pull?client_id=nope", None, 422),
        ("GET", "/v1/cases/not-a-uuid", None, 422),
        ("GET", f"/v1/cases/{uuid.uuid4().hex}", None, 404),
        ("POST", "/v1/users", {"username": "eve", "role": "admin"}, 403),  # ann is no admin
    ]
    tokens = [None, "not-a-token", book.tokens["ann"] + "x", "Basic " + book.tokens["ann"]]
    before = row_counts(book.store)
    with book.client("ann") as http:
        for method, path, raw, status in bad_json:
            response = http.request(method, path, content=raw,
                                    headers={"Content-Type": "application/json"})
            assert response.status_code in (400, status), (path, raw, response.text)
            assert response.json()["detail"], (path, raw)
        for method, path, body, status in wrong:
            response = http.request(method, path, json=body)
            expected = status if isinstance(status, tuple) else (status,)
            assert response.status_code in expected, (path, body, response.text[:300])
            assert response.json()["detail"], (path, body)
    for token in tokens:
        headers = {} if token is None else {
            "Authorization": token if token.startswith("Basic") else f"Bearer {token}"}
        for method, path, body in (("POST", "/v1/sync/push", good),
                                   ("POST", "/v1/claims/next", {"count": 5}),
                                   ("POST", "/v1/claims", {"case_ids": [book.cases["C001"].hex]}),
                                   ("POST", "/v1/users", {"username": "eve", "role": "admin"}),
                                   ("GET", "/v1/sync/pull", None)):
            response = httpx.request(method, f"{book.url}{path}", json=body, headers=headers)
            assert response.status_code == 401, (token, path, response.text)
            assert response.json()["detail"]
    assert row_counts(book.store) == before
    # Another user's client store: 403.
    with book.client("ann") as ann, book.client("bob") as bob:
        assert ann.post("/v1/sync/push", json=good).status_code == 200
        before = row_counts(book.store)
        forbidden = bob.post("/v1/sync/push", json={"client_id": cid,
                                                    "mutations": [_mutation(book, 2)]})
        assert forbidden.status_code == 403 and forbidden.json()["detail"]
    assert row_counts(book.store) == before


# -- PostgreSQL: the cursor never skips a change committed late -------------------------------


@pytest.mark.slow
def test_cursor_never_skips_a_change_committed_out_of_order(database_url, server_store):
    """Writers push notes and claim cases through sync_server, each holding its transaction
    open a random moment after its change is logged, so commits finish out of version order
    unless the change log is ordered. Readers follow cursors meanwhile:
    - one a log entry per page, which gives every version it saw: at the end it must have
      seen every version below its cursor;
    - one by pages of 25, which must hold, after each follow to the end, every note committed
      before that follow began."""
    if not database_url.startswith("postgresql"):
        pytest.skip("out-of-order commits are PostgreSQL's: SQLite has a single writer")
    store = server_store
    _, user_ids, _ = seed_book(store)
    apply_book(store, bigger_book(120))
    with store.transaction() as session:
        sync_server.touch_all_cases(session)
    every = list(case_ids_of(store).values())
    committed: list[str] = []  # activity ids, appended once their transaction committed
    done = threading.Event()
    errors: list[BaseException] = []

    def user(session: Session, name: str) -> User:
        return session.execute(select(User).where(User.username == name)).scalar_one()

    def writer(seed: int) -> None:
        rng, client_id = random.Random(seed), uuid.uuid4()
        try:
            for mid in range(1, 26):
                activity = uuid.uuid4().hex
                mutation = {"id": mid, "name": "case.note", "args": {
                    "activity_id": activity, "case_id": rng.choice(every).hex,
                    "author_id": None, "client_time": now_utc().isoformat(),
                    "claim_epoch": 0, "payload": {"reason": "other", "text": f"w{seed}"}}}
                with store.transaction() as session:
                    outcome = sync_server.push(session, user(session, "sue"), client_id,
                                               [mutation], now_utc())
                    assert outcome.results[0]["result"] == "", outcome.results
                    session.execute(text("SELECT pg_sleep(:s)"), {"s": rng.random() / 50})
                committed.append(activity)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    def claimer(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(30):
                with store.transaction() as session:
                    got = sync_server.claim_next(session, user(session, "ann"),
                                                 rng.randint(1, 3), timedelta(minutes=5),
                                                 now_utc())
                    session.execute(text("SELECT pg_sleep(:s)"), {"s": rng.random() / 50})
                with store.transaction() as session:
                    sync_server.release(session, user(session, "ann"),
                                        [uuid.UUID(hex=c["case_id"]) for c in got])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def follow(cursor: int, limit: int, versions: list[int], notes: set[str]) -> int:
        """Pull pages from `cursor` until the server has no more; returns the last cursor."""
        while True:
            with Session(store.engine) as session:
                page = sync_server.pull(session, user(session, "sue"), None, cursor, limit)
            assert not page["reset"]
            if page["cursor"] != cursor:
                versions.append(page["cursor"])
            cursor = page["cursor"]
            block = page["tables"].get("activity")
            if block:
                at = block["columns"].index("id")
                notes.update(row[at] for row in block["rows"])
            if not page["has_more"]:
                return cursor

    exact: dict = {"cursor": 0, "versions": [], "notes": set()}
    paged: dict = {"cursor": 0, "versions": [], "notes": set(), "checked": 0}

    def reader_exact() -> None:
        try:
            while not done.is_set():
                exact["cursor"] = follow(exact["cursor"], 1, exact["versions"], exact["notes"])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def reader_paged() -> None:
        try:
            while not done.is_set():
                known = list(committed)  # committed before this follow began
                paged["cursor"] = follow(paged["cursor"], 25, paged["versions"],
                                         paged["notes"])
                missing = set(known) - paged["notes"]
                assert not missing, f"{len(missing)} committed notes never reached the reader"
                paged["checked"] += 1
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    writers.append(threading.Thread(target=claimer, args=(99,)))
    readers = [threading.Thread(target=reader_exact), threading.Thread(target=reader_paged)]
    for thread in writers + readers:
        thread.start()
    for thread in writers:
        thread.join(120)
    done.set()
    for thread in readers:
        thread.join(120)
    assert not errors, errors
    assert paged["checked"] > 3  # the reader followed while the writers wrote
    # After the writers stop, one more follow: everything, and nothing seen twice.
    exact["cursor"] = follow(exact["cursor"], 1, exact["versions"], exact["notes"])
    with Session(store.engine) as session:
        logged = list(session.execute(select(SyncChange.version).where(
            SyncChange.version <= exact["cursor"]).order_by(SyncChange.version)).scalars())
    # Pages of one entry: the cursors are exactly the versions read, in order, none skipped.
    assert exact["versions"] == sorted(set(exact["versions"]))
    assert set(logged) - set(exact["versions"]) == set()
    assert set(committed) <= exact["notes"] and len(committed) == 4 * 25
