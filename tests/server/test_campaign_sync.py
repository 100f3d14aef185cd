"""A supervisor's campaign changes are mutations: made offline, pushed, applied and audited
once by the server, refused from an agent; members gain and lose the campaign's cases."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from recotui.domain.segment import Segment
from recotui.store import campaigns, replica
from recotui.store.store import Store
from recotui.store.tables import AuditEntry, Campaign, CampaignMember
from tests.server.helpers import local_case_ids


def campaign_rows(store: Store) -> dict[str, tuple]:
    with Session(store.engine) as session:
        members = session.execute(select(CampaignMember.campaign_id,
                                         CampaignMember.user_id)).all()
        return {c.name: (c.id, c.active, c.segment, c.weights,
                         sorted(u for cid, u in members if cid == c.id))
                for c in session.scalars(select(Campaign))}


def test_a_campaign_made_offline_reaches_the_server_audited_once(book, replica_of):
    sue_store, sue = replica_of("sue")
    sue.round()
    sue_id, bob_id = book.user_ids["sue"], book.user_ids["bob"]
    # Offline: define the campaign, move the cases it matches, staff it, pause it.
    cid = campaigns.save_campaign(sue_store, "Petits soldes", Segment(balance_max=150_000),
                                  {"overdue_amount": 500})
    applied = campaigns.apply_segment(sue_store, cid, sue_id)
    assert applied.moved == 1  # C001 only: 1,200.00 €
    campaigns.set_members(sue_store, cid, [bob_id])
    campaigns.set_active(sue_store, cid, False)
    assert replica.pending_count(sue_store) == 4

    bob_store, bob = replica_of("bob")
    bob.round()
    assert book.cases["C001"] not in local_case_ids(bob_store)

    result = sue.round()
    assert result.refused == [] and replica.pending_count(sue_store) == 0
    assert campaign_rows(book.store) == campaign_rows(sue_store)
    assert campaign_rows(book.store)["Petits soldes"][1:] == (
        False, Segment(balance_max=150_000).as_json(), {"overdue_amount": 500}, [bob_id])
    with Session(book.store.engine) as session:
        names = [a.name for a in session.scalars(select(AuditEntry).where(
            AuditEntry.client_id == sue_store.client_id).order_by(AuditEntry.mutation_id))]
    assert names == ["campaign.save", "case.assignment", "campaign.members", "campaign.active"]

    # bob works the campaign now: its case comes to him; taken off it, it goes.
    bob.round()
    assert book.cases["C001"] in local_case_ids(bob_store)
    assert campaign_rows(bob_store) == campaign_rows(book.store)
    campaigns.set_members(sue_store, cid, [])
    sue.round()
    assert bob.round().removed == 1
    assert book.cases["C001"] not in local_case_ids(bob_store)
    assert campaign_rows(bob_store)["Petits soldes"][4] == []


def test_an_agent_cannot_change_a_campaign(book, replica_of):
    ann_store, ann = replica_of("ann")
    ann.round()
    cid = campaigns.save_campaign(ann_store, "La mienne", Segment())
    campaigns.set_members(ann_store, cid, [book.user_ids["ann"]])
    result = ann.round()
    assert [reason for _, reason in result.refused] == [
        "refused: Only a supervisor can change a campaign."] * 2
    assert "La mienne" not in campaign_rows(book.store)


def test_a_campaign_refused_by_the_server_says_why(book, replica_of):
    """Two supervisors name a campaign alike offline: the second push is refused."""
    first_store, first = replica_of("sue")
    second_store, second = replica_of("root")
    first.round()
    second.round()
    campaigns.save_campaign(first_store, "Relances", Segment())
    campaigns.save_campaign(second_store, "Relances", Segment(dpd_min=30))
    assert first.round().refused == []
    assert second.round().refused[0][1] == "refused: A campaign named Relances exists already."
    # The server's campaign came in; the refused one stays, renamed, for its author to see.
    local = campaign_rows(second_store)
    assert local["Relances"] == campaign_rows(book.store)["Relances"]
    assert [n for n in local if n.startswith("Relances (")] != []


def test_users_and_campaigns_come_again_only_when_they_changed(book, replica_of):
    store, client = replica_of("sue")
    client.round()
    held = replica.reference_held(store)
    assert held
    with book.client("sue") as http:
        def reference(version: str) -> dict:
            return http.get("/v1/sync/pull", params={
                "cursor": replica.cursor(store), "reference": version}).json()["reference"]

        assert reference(held) == {}
        assert set(reference("")) == {"user", "campaign", "campaign_member"}
        cid = campaigns.save_campaign(store, "Nouvelle", Segment())
        assert replica.reference_held(store) == ""  # a local change: the next pull brings all
        client.round()
        assert reference(held) != {}  # the server's changed with the campaign
        assert replica.reference_held(store) not in ("", held)
        assert campaign_rows(store)["Nouvelle"][0] == cid
