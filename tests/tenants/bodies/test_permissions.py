"""Who may change a group, tried with real POSTs: a hidden button is no permission.

Workspace owners, administrators and secretariat manage every group; a group's
chair, co-chair, secretary or coordinator manages it and the groups formed under
it; the members of a secretariat manage the groups it serves; members read;
observers never write.
"""
from datetime import date

import pytest

from tests.tenants.bodies.helpers import snapshot


def requests_for(world, key="steering"):
    """(what, path, form) for every change to one group."""
    body = world.bodies[key]
    base = f"/{world.slug}/bodies/{body}"
    peter = world.members["Peter Kjeldsen"] if key == "steering" else world.members["Maja Høj (arbejdsgruppe)"]
    seat = world.seats["Region Midtjylland (2)"]
    member = {
        "person_id": str(world.people["Ole Friis"]), "role": "member", "organisation_id": str(world.orgs["Samsø Kommune"]),
        "start_date": "2021-02-01", "mandate": "Fuldt mandat",
    }
    return [
        # The working group stays under the steering group: moving it out is the secretariat's call.
        ("edit the group", f"{base}/edit", {"name": "Omdøbt gruppe", "kind": "working_group", "reports_to_id": "",
                                            "parent_id": str(world.bodies["steering"]) if key == "working" else ""}),
        ("close the group", f"{base}/status", {"status": "closed"}),
        ("add a member", f"{base}/members/new", member),
        ("edit a member", f"{base}/members/{peter}/edit", {**member, "person_id": str(world.people["Peter Kjeldsen"])}),
        ("end a term", f"{base}/members/{peter}/end", {"end_date": "2022-06-30"}),
        ("set the coverage", f"{base}/coverage", {"action": "save", "coverage_rule": "member_organisations",
                                                  "organisation_ids": [str(world.orgs["Skive Kommune"])]}),
        ("add a seat", f"{base}/seats", {"label": "Kommune udpeget af KD-Net (6)", "chosen_by": "KD-Net"}),
        ("remove a seat", f"{base}/seats/{seat}/remove", {}),
        ("rotate the chair", f"{base}/chair-rotation", {
            "action": "save", "membership_ids": [str(peter)], "first_start": "2021-01-01", "months": "6",
            "until": "2022-12-31"}),
        ("stop the rotation", f"{base}/chair-rotation", {"action": "stop"}),
        ("form a working group under it", f"/{world.slug}/bodies/new", {
            "name": "Arbejdsgruppe for energi", "kind": "working_group", "parent_id": str(body)}),
    ]


def try_all(browser, owner_engine, requests, expected_status):
    failures = []
    for what, path, form in requests:
        before = snapshot(owner_engine)
        response = browser.post(path, form)
        if response.status_code != expected_status:
            failures.append(f"{what}: {response.status_code}, expected {expected_status}")
        if expected_status == 403 and snapshot(owner_engine) != before:
            failures.append(f"{what}: wrote although refused")
    return failures


@pytest.mark.parametrize("role_key", ["member", "body_observer", "workspace_observer"])
def test_members_and_observers_are_refused_every_change_and_nothing_is_written(
        owner_engine, midtjylland, signed_in, role_key):
    """Peter is a member; Ida observes for KL; Jens coordinates the working group on
    paper but only observes the workspace."""
    browser = signed_in(midtjylland.logins[role_key])
    failures = try_all(browser, owner_engine, requests_for(midtjylland, "steering"), 403)
    failures += try_all(browser, owner_engine, requests_for(midtjylland, "working"), 403)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role_key", ["member", "body_observer", "workspace_observer"])
def test_members_and_observers_cannot_open_the_forms(midtjylland, signed_in, role_key):
    browser = signed_in(midtjylland.logins[role_key])
    base = f"/{midtjylland.slug}/bodies/{midtjylland.bodies['steering']}"
    peter = midtjylland.members["Peter Kjeldsen"]
    for path in [f"/{midtjylland.slug}/bodies/new", f"{base}/edit", f"{base}/members/new",
                 f"{base}/members/{peter}/edit", f"{base}/members/{peter}/end", f"{base}/coverage",
                 f"{base}/chair-rotation", f"/{midtjylland.slug}/bodies/{midtjylland.bodies['secretariat']}/serves"]:
        assert browser.get(path).status_code == 403, path


@pytest.mark.parametrize("role_key", ["member", "body_observer", "workspace_observer"])
def test_members_and_observers_read_every_group(midtjylland, signed_in, role_key):
    browser = signed_in(midtjylland.logins[role_key])
    for key in midtjylland.bodies:
        for path in ("", "/terms", "/terms.docx"):
            assert browser.get(f"/{midtjylland.slug}/bodies/{midtjylland.bodies[key]}{path}").status_code == 200
    assert browser.get(f"/{midtjylland.slug}/bodies").status_code == 200


@pytest.mark.parametrize("role_key", ["co_chair", "secretariat_member", "secretariat_role", "owner"])
@pytest.mark.parametrize("key", ["steering", "working"])
def test_managers_make_every_change(owner_engine, midtjylland, signed_in, role_key, key):
    """The co-chair from Skive runs the steering group and its working group; the
    secretariat's coordinators run the groups it serves; the workspace's secretariat runs all."""
    browser = signed_in(midtjylland.logins[role_key])
    requests = [r for r in requests_for(midtjylland, key) if not (key == "working" and r[0] == "remove a seat")]
    failures = try_all(browser, owner_engine, requests, 302)
    assert not failures, "\n".join(failures)


def test_a_co_chair_cannot_change_a_group_they_do_not_run(owner_engine, midtjylland, signed_in):
    browser = signed_in(midtjylland.logins["co_chair"])
    political = [r for r in requests_for(midtjylland, "political")
                 if r[0] not in ("edit a member", "end a term", "remove a seat")]
    failures = try_all(browser, owner_engine, political, 403)
    failures += try_all(browser, owner_engine, [
        ("create a group of its own", f"/{midtjylland.slug}/bodies/new", {"name": "Eget netværk", "kind": "network"}),
    ], 403)
    assert not failures, "\n".join(failures)


def test_only_the_workspaces_secretariat_decides_what_a_secretariat_serves(owner_engine, midtjylland, signed_in):
    path = f"/{midtjylland.slug}/bodies/{midtjylland.bodies['secretariat']}/serves"
    form = {"body_ids": [str(midtjylland.bodies["working"])]}
    assert try_all(signed_in(midtjylland.logins["secretariat_member"]), owner_engine, [("serve", path, form)], 403) == []
    assert try_all(signed_in(midtjylland.logins["co_chair"]), owner_engine, [("serve", path, form)], 403) == []
    assert try_all(signed_in(midtjylland.logins["secretariat_role"]), owner_engine, [("serve", path, form)], 302) == []


def test_moving_a_working_group_out_from_under_its_group_is_the_secretariats_call(owner_engine, midtjylland, signed_in):
    path = f"/{midtjylland.slug}/bodies/{midtjylland.bodies['working']}/edit"
    form = {"name": "Arbejdsgruppe for klimatilpasning", "kind": "working_group", "parent_id": "", "reports_to_id": ""}
    assert try_all(signed_in(midtjylland.logins["co_chair"]), owner_engine, [("move", path, form)], 403) == []
    assert try_all(signed_in(midtjylland.logins["secretariat_role"]), owner_engine, [("move", path, form)], 302) == []


def test_a_secretariat_member_who_left_no_longer_manages(owner_engine, midtjylland, signed_in):
    owner = signed_in(midtjylland.logins["owner"])
    leaving = midtjylland.members["Rasmus Vinther (sekretariat)"]
    owner.post(f"/{midtjylland.slug}/bodies/{midtjylland.bodies['secretariat']}/members/{leaving}/end",
               {"end_date": date(2020, 12, 31).isoformat()})
    rasmus = signed_in(midtjylland.logins["secretariat_member"])
    failures = try_all(rasmus, owner_engine, requests_for(midtjylland, "steering")[:3], 403)
    assert not failures, "\n".join(failures)
