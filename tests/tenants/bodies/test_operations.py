"""The rules of groups, members, coverage, secretariats and chairs, without HTTP."""
from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.errors import OperationError
from samklima.platform.permissions import PermissionDenied
from samklima.tenants.bodies import operations, queries
from samklima.tenants.bodies.models import Body, BodyMembership, ChairTerm, SecretariatService
from samklima.tenants.bodies.operations import BodyFields, MembershipFields
from samklima.tenants.organisations.queries import all_organisations
from tests import factories
from tests.tenants.bodies import structures
from tests.tenants.bodies.helpers import acting, body, inside


def gap_names(world, key, day=structures.DURING):
    gaps = queries.coverage_gaps(day, [world.bodies[key]]).get(world.bodies[key], [])
    return [gap.seat.label if gap.seat else gap.organisation.name for gap in gaps]


# --- who manages what ------------------------------------------------------------------------

@pytest.mark.parametrize("role_key", ["owner", "secretariat_role"])
def test_workspace_owners_and_secretariat_manage_every_group(midtjylland, role_key):
    with inside(midtjylland):
        assert operations.managed_body_ids(acting(midtjylland, role_key)) is None


def test_a_co_chair_manages_the_group_and_the_working_group_under_it_and_nothing_else(midtjylland):
    with inside(midtjylland):
        managed = operations.managed_body_ids(acting(midtjylland, "co_chair"))
    assert managed == {midtjylland.bodies["steering"], midtjylland.bodies["working"]}


def test_a_secretariat_member_manages_the_groups_the_secretariat_serves(midtjylland):
    """Seed 004: the coordinators in Aarhus and Viborg serve both steering groups."""
    with inside(midtjylland):
        managed = operations.managed_body_ids(acting(midtjylland, "secretariat_member"))
    bodies = midtjylland.bodies
    # The secretariat's own coordinators run the secretariat too; the working group
    # sits under a served group.
    assert managed == {bodies["political"], bodies["steering"], bodies["working"], bodies["secretariat"]}


def test_a_secretariat_that_stops_serving_hands_the_group_back(midtjylland):
    with inside(midtjylland):
        owner = acting(midtjylland, "owner")
        operations.stop_serving(body(midtjylland, "secretariat"), body(midtjylland, "political"), by=owner)
        managed = operations.managed_body_ids(acting(midtjylland, "secretariat_member"))
    assert midtjylland.bodies["political"] not in managed


@pytest.mark.parametrize("role_key", ["member", "body_observer", "workspace_observer"])
def test_members_and_observers_manage_nothing(midtjylland, role_key):
    """Peter is an ordinary member; Ida observes the steering group; Jens is the
    working group's coordinator but only an observer of the workspace."""
    with inside(midtjylland):
        assert operations.managed_body_ids(acting(midtjylland, role_key)) == set()


def test_a_member_whose_term_ended_no_longer_manages(midtjylland):
    with inside(midtjylland):
        owner = acting(midtjylland, "owner")
        co_chair = db.session.get(BodyMembership, midtjylland.members["Anders Møller Nielsen"])
        operations.end_membership(co_chair, body(midtjylland, "steering"), date(2021, 12, 31), by=owner)
        with time_machine.travel(date(2022, 1, 3)):
            assert operations.managed_body_ids(acting(midtjylland, "co_chair")) == set()


# --- groups ----------------------------------------------------------------------------------

def test_a_co_chair_forms_a_working_group_under_the_steering_group(midtjylland):
    with inside(midtjylland):
        created = operations.create_body(BodyFields(
            name="Arbejdsgruppe for grøn mobilitet", kind="working_group",
            parent_id=midtjylland.bodies["steering"]), by=acting(midtjylland, "co_chair"))
        assert created.parent_id == midtjylland.bodies["steering"]
        assert operations.can_manage_body(acting(midtjylland, "co_chair"), created)


def test_a_co_chair_cannot_form_a_group_of_its_own_or_under_another_group(midtjylland):
    with inside(midtjylland):
        co_chair = acting(midtjylland, "co_chair")
        with pytest.raises(PermissionDenied):
            operations.create_body(BodyFields(name="Eget netværk", kind="network"), by=co_chair)
        with pytest.raises(PermissionDenied):
            operations.create_body(BodyFields(name="Politisk arbejdsgruppe", kind="working_group",
                                              parent_id=midtjylland.bodies["political"]), by=co_chair)


def test_a_group_cannot_be_placed_under_its_own_working_group(midtjylland):
    with inside(midtjylland):
        steering = body(midtjylland, "steering")
        fields = BodyFields(name=steering.name, kind=steering.kind, parent_id=midtjylland.bodies["working"])
        with pytest.raises(OperationError) as error:
            operations.update_body(steering, fields, by=acting(midtjylland, "owner"))
    assert error.value.field == "parent_id"


def test_a_group_whose_end_date_is_before_its_start_is_refused(midtjylland):
    with inside(midtjylland):
        with pytest.raises(OperationError) as error:
            operations.create_body(BodyFields(name="Følgegruppe", kind="reference_group",
                                              start_date=date(2023, 6, 30), end_date=date(2020, 9, 16)),
                                   by=acting(midtjylland, "owner"))
        assert error.value.field == "end_date"
        assert db.session.scalar(select(func.count(Body.id)).where(Body.name == "Følgegruppe")) == 0


def test_closing_and_reopening_a_group(midtjylland):
    with inside(midtjylland):
        working = body(midtjylland, "working")
        operations.set_status(working, "closed", by=acting(midtjylland, "co_chair"))
        assert working.status == "closed"
        operations.set_status(working, "active", by=acting(midtjylland, "co_chair"))
        assert working.status == "active"


# --- members ---------------------------------------------------------------------------------

def test_a_term_that_ends_before_it_starts_is_refused(midtjylland):
    with inside(midtjylland):
        with pytest.raises(OperationError) as error:
            operations.add_membership(body(midtjylland, "working"), MembershipFields(
                person_id=midtjylland.people["Ole Friis"], organisation_id=midtjylland.orgs["Samsø Kommune"],
                start_date=date(2022, 1, 1), end_date=date(2021, 12, 31)), by=acting(midtjylland, "owner"))
    assert error.value.field == "end_date"


def test_a_person_of_another_workspace_cannot_become_a_member(midtjylland, trollhattan):
    with inside(trollhattan):
        foreign_person = trollhattan.people["Amir Haddad"]
    with inside(midtjylland):
        with pytest.raises(OperationError) as error:
            operations.add_membership(body(midtjylland, "working"), MembershipFields(
                person_id=foreign_person, start_date=date(2022, 1, 1)), by=acting(midtjylland, "owner"))
    assert error.value.field == "person_id"


def test_a_seat_of_another_group_is_refused(midtjylland):
    with inside(midtjylland):
        with pytest.raises(OperationError) as error:
            operations.add_membership(body(midtjylland, "working"), MembershipFields(
                person_id=midtjylland.people["Ole Friis"], seat_id=midtjylland.seats["Region Midtjylland (2)"],
                start_date=date(2022, 1, 1)), by=acting(midtjylland, "owner"))
    assert error.value.field == "seat_id"


def test_an_ended_membership_stays_as_history(midtjylland):
    with inside(midtjylland):
        steering = body(midtjylland, "steering")
        ole = db.session.get(BodyMembership, midtjylland.members["Ole Friis"])
        operations.end_membership(ole, steering, date(2022, 6, 30), by=acting(midtjylland, "secretariat_member"))
        page = queries.body_page(steering, date(2022, 8, 1))
        assert [m.person.name for m in page.past] == ["Ole Friis"]
        assert "Ole Friis" not in [m.person.name for m in page.current_members]


def test_a_member_cannot_end_anothers_term(midtjylland):
    with inside(midtjylland):
        ole = db.session.get(BodyMembership, midtjylland.members["Ole Friis"])
        with pytest.raises(PermissionDenied):
            operations.end_membership(ole, body(midtjylland, "steering"), date(2022, 6, 30),
                                      by=acting(midtjylland, "member"))


# --- coverage --------------------------------------------------------------------------------

def test_an_empty_seat_is_a_gap_until_kd_net_fills_it(midtjylland):
    """Seed 004: five seats chosen by KD-Net, two by the region."""
    with inside(midtjylland):
        steering = body(midtjylland, "steering")
        owner = acting(midtjylland, "owner")
        karen = db.session.get(BodyMembership, midtjylland.members["Karen Dahl"])
        operations.end_membership(karen, steering, date(2021, 12, 31), by=owner)
        assert gap_names(midtjylland, "steering", date(2022, 1, 10)) == ["Kommune udpeget af KD-Net (5)"]
        operations.add_membership(steering, MembershipFields(
            person_id=midtjylland.people["Sofie Kragh"], organisation_id=midtjylland.orgs["Horsens Kommune"],
            seat_id=midtjylland.seats["Kommune udpeget af KD-Net (5)"], start_date=date(2022, 1, 10),
            nominated_by="KD-Net"), by=owner)
        assert gap_names(midtjylland, "steering", date(2022, 1, 10)) == []


def test_one_representative_per_member_organisation(midtjylland):
    with inside(midtjylland):
        working = body(midtjylland, "working")
        owner = acting(midtjylland, "owner")
        orgs = midtjylland.orgs
        operations.set_coverage(working, "member_organisations",
                                [orgs["Aarhus Kommune"], orgs["Horsens Kommune"], orgs["Lemvig Kommune"],
                                 orgs["Samsø Kommune"]], by=owner)
        assert gap_names(midtjylland, "working") == ["Samsø Kommune"]
        operations.add_membership(working, MembershipFields(
            person_id=midtjylland.people["Ole Friis"], organisation_id=orgs["Samsø Kommune"],
            start_date=date(2021, 2, 1)), by=owner)
        assert gap_names(midtjylland, "working") == []


def test_one_representative_per_department_seed_003(app_context):
    world = structures.build_trollhattan(with_participants=False)
    with inside(world):
        group = body(world, "group")
        assert gap_names(world, "group", date(2021, 3, 1)) == [
            "Kultur- och fritidsförvaltningen", "Samhällsbyggnadsförvaltningen", "Socialförvaltningen",
            "Utbildningsförvaltningen",
        ]
        owner = acting(world, "owner")
        for name, department in [("Amir Haddad", "Samhällsbyggnadsförvaltningen"),
                                 ("Elin Berg", "Utbildningsförvaltningen"), ("Sara Nyström", "Socialförvaltningen"),
                                 ("Lars Holm", "Kultur- och fritidsförvaltningen")]:
            operations.add_membership(group, MembershipFields(
                person_id=world.people[name], organisation_id=world.orgs[department],
                start_date=date(2021, 2, 1)), by=owner)
        assert gap_names(world, "group", date(2021, 3, 1)) == []


def test_a_closed_group_has_no_gaps(midtjylland):
    with inside(midtjylland):
        steering = body(midtjylland, "steering")
        owner = acting(midtjylland, "owner")
        operations.end_membership(db.session.get(BodyMembership, midtjylland.members["Karen Dahl"]), steering,
                                  date(2021, 1, 31), by=owner)
        assert gap_names(midtjylland, "steering") != []
        operations.set_status(steering, "closed", by=owner)
        assert gap_names(midtjylland, "steering") == []


def test_all_municipalities_shortcut_takes_municipalities_only(midtjylland):
    with inside(midtjylland):
        chosen = queries.shortcut_organisation_ids(all_organisations(), municipalities=True)
    orgs = midtjylland.orgs
    assert chosen == {orgs[name] for name in ("Skive Kommune", "Aarhus Kommune", "Lemvig Kommune", "Samsø Kommune",
                                               "Horsens Kommune", "Viborg Kommune")}


def test_departments_shortcut_takes_every_department_below(app_context):
    world = structures.build_trollhattan()
    with inside(world):
        chosen = queries.shortcut_organisation_ids(all_organisations(),
                                                   departments_of=world.orgs["Trollhättans stad"])
    assert chosen == {world.orgs[name] for name in structures.DEPARTMENTS_003}


def test_member_organisations_of_another_workspace_are_refused(midtjylland, trollhattan):
    with inside(midtjylland):
        with pytest.raises(OperationError) as error:
            operations.set_coverage(body(midtjylland, "working"), "member_organisations",
                                    [trollhattan.orgs["Trollhättans stad"]], by=acting(midtjylland, "owner"))
    assert error.value.field == "organisation_ids"


# --- secretariat -----------------------------------------------------------------------------

def test_the_shared_secretariat_serves_the_groups_ticked(midtjylland):
    with inside(midtjylland):
        secretariat = body(midtjylland, "secretariat")
        operations.set_served_bodies(secretariat, [midtjylland.bodies["steering"], midtjylland.bodies["working"]],
                                     by=acting(midtjylland, "secretariat_role"))
        served = set(db.session.scalars(select(SecretariatService.body_id)))
    assert served == {midtjylland.bodies["steering"], midtjylland.bodies["working"]}


def test_only_a_secretariat_serves_and_never_itself(midtjylland):
    with inside(midtjylland):
        owner = acting(midtjylland, "owner")
        with pytest.raises(OperationError):
            operations.set_served_bodies(body(midtjylland, "steering"), [midtjylland.bodies["working"]], by=owner)
        with pytest.raises(OperationError):
            operations.set_served_bodies(body(midtjylland, "secretariat"), [midtjylland.bodies["secretariat"]],
                                         by=owner)


def test_the_secretariat_members_cannot_choose_what_they_serve(midtjylland):
    """Only the workspace's secretariat decides which groups a secretariat runs."""
    with inside(midtjylland):
        with pytest.raises(PermissionDenied):
            operations.set_served_bodies(body(midtjylland, "secretariat"), [midtjylland.bodies["working"]],
                                         by=acting(midtjylland, "secretariat_member"))


# --- rotating chair (seed 003) ----------------------------------------------------------------

def test_two_strategists_take_turns_in_the_chair_every_six_months(trollhattan):
    with inside(trollhattan):
        group = body(trollhattan, "group")
        karin, johan = trollhattan.members["Karin Lindqvist"], trollhattan.members["Johan Ek"]
        operations.set_chair_rotation(group, [karin, johan], date(2021, 1, 1), 6, date(2022, 12, 31),
                                      by=acting(trollhattan, "owner"))
        turns = db.session.execute(select(ChairTerm.starts_on, ChairTerm.membership_id).order_by(ChairTerm.starts_on)).all()
        assert turns == [(date(2021, 1, 1), karin), (date(2021, 7, 1), johan), (date(2022, 1, 1), karin),
                         (date(2022, 7, 1), johan)]
        page = queries.body_page(group, date(2021, 9, 15))
        assert [m.person.name for m in page.chairs] == ["Johan Ek"]
        assert page.next_chair_term.membership.person.name == "Karin Lindqvist"
        assert page.next_chair_term.starts_on == date(2022, 1, 1)
        operations.stop_chair_rotation(group, by=acting(trollhattan, "owner"))
        assert queries.body_page(group, date(2021, 9, 15)).chairs == []


def test_without_a_rotation_the_chair_is_the_member_with_the_chair_role(midtjylland):
    with inside(midtjylland):
        political = body(midtjylland, "political")
        factories.make_membership(midtjylland.tenant_id, political, midtjylland.people["Hanne Vestergaard"], "chair",
                                  midtjylland.orgs["Region Midtjylland"], start_date=structures.START)
        page = queries.body_page(political, structures.DURING)
        assert [m.person.name for m in page.chairs] == ["Hanne Vestergaard"]


def test_a_rotation_names_members_of_the_group_only(midtjylland):
    with inside(midtjylland):
        with pytest.raises(OperationError) as error:
            operations.set_chair_rotation(body(midtjylland, "working"), [midtjylland.members["Peter Kjeldsen"]],
                                          date(2021, 1, 1), 6, date(2022, 1, 1), by=acting(midtjylland, "owner"))
    assert error.value.field == "membership_ids"


def test_a_rotation_is_planned_at_most_ten_years_ahead(trollhattan):
    with inside(trollhattan):
        with pytest.raises(OperationError) as error:
            operations.set_chair_rotation(body(trollhattan, "group"), [trollhattan.members["Karin Lindqvist"]],
                                          date(2021, 1, 1), 1, date(2099, 1, 1), by=acting(trollhattan, "owner"))
    assert error.value.field == "until"


def test_every_change_is_written_to_the_audit_log(midtjylland):
    from samklima.platform.audit.models import AuditEvent

    with inside(midtjylland):
        co_chair = acting(midtjylland, "co_chair")
        working = body(midtjylland, "working")
        operations.add_membership(working, MembershipFields(
            person_id=midtjylland.people["Ole Friis"], organisation_id=midtjylland.orgs["Samsø Kommune"],
            start_date=date(2021, 2, 1)), by=co_chair)
        operations.set_status(working, "closed", by=co_chair)
        events = db.session.execute(
            select(AuditEvent.action, AuditEvent.subject, AuditEvent.actor_id)
            .where(AuditEvent.action.in_(["body_member_added", "body_closed"])).order_by(AuditEvent.id)).all()
        assert events == [("body_member_added", "Ole Friis: Arbejdsgruppe for klimatilpasning", co_chair.user_id),
                          ("body_closed", "Arbejdsgruppe for klimatilpasning", co_chair.user_id)]
