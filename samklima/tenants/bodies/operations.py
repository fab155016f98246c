"""Every change to bodies and their members, and the rules of who may make it.

Who manages a body: the workspace's owners, administrators and secretariat;
the body's own chair, co-chair, secretary or coordinator; and every member of
a secretariat body that serves it. Observers never write; members read.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from samklima.extensions import db
from samklima.platform import rules, trees
from samklima.platform.audit.operations import record
from samklima.platform.clock import workspace_today
from samklima.platform.errors import OperationError
from samklima.platform.permissions import PermissionDenied, has_role
from samklima.tenants.bodies.models import (
    BODY_KINDS,
    BODY_ROLES,
    COVERAGE_RULES,
    MANAGING_ROLES,
    Body,
    BodyMemberOrganisation,
    BodyMembership,
    BodySeat,
    ChairTerm,
    SecretariatService,
)
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person
from samklima.tenants.people.queries import person_for_user


def _audit(action: str, by, subject: str, **details) -> None:
    record(action, actor=getattr(by, "user", None), subject=subject, **details)


# --- who may manage what -------------------------------------------------------------

def managed_body_ids(membership) -> set[int] | None:
    """The ids of the bodies this workspace member manages; None means all of them."""
    if has_role(membership, "secretariat"):
        return None
    if membership is None or membership.role == "observer":
        return set()
    person = person_for_user(membership.user)
    if person is None:
        return set()
    day = workspace_today()
    mine = db.session.execute(
        select(BodyMembership.body_id, BodyMembership.role, Body.kind)
        .join(Body, Body.id == BodyMembership.body_id)
        .where(BodyMembership.person_id == person.id, BodyMembership.start_date <= day,
               (BodyMembership.end_date.is_(None)) | (BodyMembership.end_date >= day))
    ).all()
    managed = {body_id for body_id, role, _kind in mine if role in MANAGING_ROLES}
    # Observers of a body (and substitutes, members) read; only its running roles
    # and the secretariat that serves it write.
    secretariats = {body_id for body_id, role, kind in mine if kind == "secretariat" and role != "observer"}
    if secretariats:
        managed |= set(db.session.scalars(
            select(SecretariatService.body_id).where(SecretariatService.secretariat_id.in_(secretariats))
        ))
    return _with_sub_groups(managed)


def _with_sub_groups(body_ids: set[int]) -> set[int]:
    """Who manages a body manages the groups formed under it (seed 004: working
    groups set up by the administrative steering group), at any depth."""
    if not body_ids:
        return body_ids
    parents = dict(db.session.execute(select(Body.id, Body.parent_id).where(Body.parent_id.is_not(None))).all())
    return set(body_ids) | set(trees.below(trees.children_by_parent(parents, parents.get), body_ids))


def manages_any(membership) -> bool:
    """Whether this workspace member manages at least one group (or all of them)."""
    managed = managed_body_ids(membership)
    return managed is None or bool(managed)


def can_manage_body(membership, body: Body) -> bool:
    managed = managed_body_ids(membership)
    return managed is None or body.id in managed


def require_body_manager(membership, body: Body) -> None:
    if not can_manage_body(membership, body):
        raise PermissionDenied()


def require_workspace_secretariat(membership) -> None:
    if not has_role(membership, "secretariat"):
        raise PermissionDenied()


# --- bodies --------------------------------------------------------------------------

def _body_in_workspace(body_id: int | None, field: str) -> Body | None:
    if body_id is None:
        return None
    body = db.session.scalar(select(Body).where(Body.id == body_id))
    if body is None:
        raise OperationError(_l("Choose a group from the list."), field=field)
    return body


def _check_dates(start: date | None, end: date | None, field: str = "end_date") -> None:
    if start and end and end < start:
        raise OperationError(_l("The end date is before the start date."), field=field)


def _ancestor_ids(body_id: int) -> set[int]:
    parents = dict(db.session.execute(select(Body.id, Body.parent_id)).all())
    found, current = set(), parents.get(body_id)
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return found


@dataclass
class BodyFields:
    name: str
    kind: str
    parent_id: int | None = None
    reports_to_id: int | None = None
    purpose: str = ""
    tasks: str = ""
    mandate: str = ""
    start_date: date | None = None
    end_date: date | None = None
    meeting_cadence: str = ""
    case_number: str = ""
    coverage_rule: str = "none"

    def check(self, body_id: int | None = None) -> None:
        if not self.name.strip():
            raise OperationError(rules.FILL_IN, field="name")
        if self.kind not in BODY_KINDS:
            raise OperationError(_l("Choose a kind from the list."), field="kind")
        if self.coverage_rule not in COVERAGE_RULES:
            raise OperationError(_l("Choose a coverage rule from the list."), field="coverage_rule")
        _body_in_workspace(self.parent_id, "parent_id")
        _body_in_workspace(self.reports_to_id, "reports_to_id")
        _check_dates(self.start_date, self.end_date)
        if body_id is not None and self.parent_id is not None and (
            self.parent_id == body_id or body_id in _ancestor_ids(self.parent_id)
        ):
            raise OperationError(_l("A group cannot be placed under itself."), field="parent_id")
        if body_id is not None and self.reports_to_id == body_id:
            raise OperationError(_l("A group cannot report to itself."), field="reports_to_id")

    def apply(self, body: Body) -> None:
        for name, value in vars(self).items():
            setattr(body, name, value.strip() if isinstance(value, str) else value)


def create_body(fields: BodyFields, *, by) -> Body:
    """The workspace's secretariat creates any group; a body's managers may form
    groups under it (a working group under its steering group)."""
    parent = _body_in_workspace(fields.parent_id, "parent_id")
    if parent is None:
        require_workspace_secretariat(by)
    else:
        require_body_manager(by, parent)
    fields.check()
    body = Body()
    fields.apply(body)
    db.session.add(body)
    db.session.flush()
    _audit("body_created", by, body.name, kind=body.kind)
    return body


def update_body(body: Body, fields: BodyFields, *, by) -> None:
    require_body_manager(by, body)
    fields.check(body_id=body.id)
    if fields.parent_id != body.parent_id:
        # Moving a group under another hands it to that group's managers: only they may.
        new_parent = _body_in_workspace(fields.parent_id, "parent_id")
        if new_parent is None:
            require_workspace_secretariat(by)
        else:
            require_body_manager(by, new_parent)
    fields.apply(body)
    _audit("body_changed", by, body.name)


def set_status(body: Body, status: str, *, by) -> None:
    require_body_manager(by, body)
    if status not in ("active", "closed"):
        raise OperationError(_l("Choose a status from the list."), field="status")
    if body.status != status:
        _audit("body_closed" if status == "closed" else "body_reopened", by, body.name)
    body.status = status


def serve_body(secretariat: Body, body: Body, *, by) -> SecretariatService:
    require_workspace_secretariat(by)
    if secretariat.kind != "secretariat":
        raise OperationError(_l("Only a secretariat can serve other groups."), field="secretariat_id")
    if secretariat.id == body.id:
        raise OperationError(_l("A secretariat cannot serve itself."), field="body_id")
    existing = db.session.scalar(select(SecretariatService).where(
        SecretariatService.secretariat_id == secretariat.id, SecretariatService.body_id == body.id))
    if existing is not None:
        return existing
    service = SecretariatService(secretariat_id=secretariat.id, body_id=body.id)
    db.session.add(service)
    db.session.flush()
    _audit("secretariat_services_changed", by, secretariat.name, serves=body.name)
    return service


def stop_serving(secretariat: Body, body: Body, *, by) -> None:
    require_workspace_secretariat(by)
    db.session.execute(delete(SecretariatService).where(
        SecretariatService.secretariat_id == secretariat.id, SecretariatService.body_id == body.id))
    _audit("secretariat_services_changed", by, secretariat.name, stops_serving=body.name)


def set_served_bodies(secretariat: Body, body_ids: list[int], *, by) -> None:
    """The groups a secretariat serves, all at once (a form of checkboxes)."""
    require_workspace_secretariat(by)
    if secretariat.kind != "secretariat":
        raise OperationError(_l("Only a secretariat can serve other groups."), field="body_ids")
    wanted = set(body_ids)
    if secretariat.id in wanted:
        raise OperationError(_l("A secretariat cannot serve itself."), field="body_ids")
    known = set(db.session.scalars(select(Body.id).where(Body.id.in_(wanted))))
    if known != wanted:
        raise OperationError(_l("Choose groups from the list."), field="body_ids")
    db.session.execute(delete(SecretariatService).where(
        SecretariatService.secretariat_id == secretariat.id, SecretariatService.body_id.not_in(wanted)))
    served = set(db.session.scalars(
        select(SecretariatService.body_id).where(SecretariatService.secretariat_id == secretariat.id)))
    for body_id in sorted(wanted - served):
        db.session.add(SecretariatService(secretariat_id=secretariat.id, body_id=body_id))
    db.session.flush()
    _audit("secretariat_services_changed", by, secretariat.name, body_ids=sorted(wanted))


# --- members ---------------------------------------------------------------------------

@dataclass
class MembershipFields:
    person_id: int
    role: str = "member"
    organisation_id: int | None = None
    seat_id: int | None = None
    mandate: str = ""
    start_date: date | None = None
    end_date: date | None = None
    nominated_by: str = ""

    def check(self, body: Body) -> None:
        if self.role not in BODY_ROLES:
            raise OperationError(_l("Choose a role from the list."), field="role")
        if db.session.scalar(select(Person.id).where(Person.id == self.person_id)) is None:
            raise OperationError(_l("Choose a person from the list."), field="person_id")
        if self.organisation_id is not None and db.session.scalar(
            select(Organisation.id).where(Organisation.id == self.organisation_id)
        ) is None:
            raise OperationError(_l("Choose an organisation from the list."), field="organisation_id")
        if self.seat_id is not None and db.session.scalar(
            select(BodySeat.id).where(BodySeat.id == self.seat_id, BodySeat.body_id == body.id)
        ) is None:
            raise OperationError(_l("Choose a seat of this group."), field="seat_id")
        if self.start_date is None:
            raise OperationError(rules.FILL_IN, field="start_date")
        _check_dates(self.start_date, self.end_date)


def add_membership(body: Body, fields: MembershipFields, *, by) -> BodyMembership:
    require_body_manager(by, body)
    membership = place_member(body, fields)
    _audit("body_member_added", by, f"{membership.person.name}: {body.name}", role=membership.role)
    return membership


def place_member(body: Body, fields: MembershipFields) -> BodyMembership:
    """The rule-checked write, for callers that checked permission their own way
    (an accepted nomination)."""
    fields.start_date = fields.start_date or workspace_today()
    fields.check(body)
    membership = BodyMembership(body_id=body.id, **{k: v for k, v in vars(fields).items()})
    membership.mandate = membership.mandate.strip()
    db.session.add(membership)
    db.session.flush()
    return membership


def _check_member_of(membership: BodyMembership, body: Body) -> None:
    if membership.body_id != body.id:
        raise OperationError(_l("Choose members of this group."))


def update_membership(membership: BodyMembership, body: Body, fields: MembershipFields, *, by) -> None:
    require_body_manager(by, body)
    _check_member_of(membership, body)
    fields.check(body)
    for name, value in vars(fields).items():
        setattr(membership, name, value)
    db.session.flush()
    db.session.expire(membership, ["person", "organisation"])
    _audit("body_member_changed", by, f"{membership.person.name}: {body.name}", role=membership.role)


def end_membership(membership: BodyMembership, body: Body, end_date: date, *, by) -> None:
    """The member leaves; the row stays as history."""
    require_body_manager(by, body)
    _check_member_of(membership, body)
    _check_dates(membership.start_date, end_date)
    membership.end_date = end_date
    _audit("body_term_ended", by, f"{membership.person.name}: {body.name}", end_date=end_date.isoformat())


def set_member_organisations(body: Body, organisation_ids: list[int], *, by) -> None:
    require_body_manager(by, body)
    _replace_member_organisations(body, organisation_ids)
    _audit("body_coverage_changed", by, body.name, organisations=len(organisation_ids))


def _replace_member_organisations(body: Body, organisation_ids: list[int]) -> None:
    known = set(db.session.scalars(select(Organisation.id).where(Organisation.id.in_(organisation_ids))))
    if known != set(organisation_ids):
        raise OperationError(_l("Choose organisations from the list."), field="organisation_ids")
    db.session.execute(delete(BodyMemberOrganisation).where(BodyMemberOrganisation.body_id == body.id))
    for organisation_id in sorted(known):
        db.session.add(BodyMemberOrganisation(body_id=body.id, organisation_id=organisation_id))
    db.session.flush()


def set_coverage(body: Body, rule: str, organisation_ids: list[int], *, by) -> None:
    """The coverage rule and the member organisations it counts, saved together."""
    require_body_manager(by, body)
    if rule not in COVERAGE_RULES:
        raise OperationError(_l("Choose a coverage rule from the list."), field="coverage_rule")
    _replace_member_organisations(body, organisation_ids)
    body.coverage_rule = rule
    _audit("body_coverage_changed", by, body.name, rule=rule, organisations=len(organisation_ids))


def add_seat(body: Body, label: str, *, by, chosen_by: str = "", organisation_id: int | None = None) -> BodySeat:
    require_body_manager(by, body)
    if not label.strip():
        raise OperationError(rules.FILL_IN, field="label")
    if organisation_id is not None and db.session.scalar(
        select(Organisation.id).where(Organisation.id == organisation_id)
    ) is None:
        raise OperationError(_l("Choose an organisation from the list."), field="organisation_id")
    position = db.session.scalar(select(func.count(BodySeat.id)).where(BodySeat.body_id == body.id))
    seat = BodySeat(body_id=body.id, label=label.strip(), chosen_by=chosen_by.strip(),
                    organisation_id=organisation_id, position=position)
    db.session.add(seat)
    db.session.flush()
    _audit("body_coverage_changed", by, body.name, seat_added=seat.label)
    return seat


def remove_seat(seat: BodySeat, body: Body, *, by) -> None:
    require_body_manager(by, body)
    if seat.body_id != body.id:
        raise OperationError(_l("Choose a seat of this group."))
    for membership in db.session.scalars(select(BodyMembership).where(BodyMembership.seat_id == seat.id)):
        membership.seat_id = None
    db.session.flush()
    db.session.delete(seat)
    _audit("body_coverage_changed", by, body.name, seat_removed=seat.label)


def set_chair_rotation(body: Body, membership_ids: list[int], first_start: date, months: int, until: date, *, by):
    """Chair passes between the named members every `months` months (seed 003:
    two sustainability strategists share the chair)."""
    require_body_manager(by, body)
    if len(membership_ids) < 1:
        raise OperationError(_l("Choose at least one member."), field="membership_ids")
    if months < 1 or months > 48:
        raise OperationError(_l("Choose between 1 and 48 months."), field="months")
    _check_dates(first_start, until, field="until")
    if until > first_start + relativedelta(years=10):
        raise OperationError(_l("Plan the rotation at most ten years ahead."), field="until")
    chosen = db.session.scalars(select(BodyMembership).where(
        BodyMembership.id.in_(membership_ids), BodyMembership.body_id == body.id)).all()
    if len(chosen) != len(set(membership_ids)):
        raise OperationError(_l("Choose members of this group."), field="membership_ids")
    db.session.execute(delete(ChairTerm).where(ChairTerm.body_id == body.id, ChairTerm.starts_on >= first_start))
    start, turn = first_start, 0
    while start <= until:
        db.session.add(ChairTerm(body_id=body.id, membership_id=membership_ids[turn % len(membership_ids)],
                                 starts_on=start))
        turn += 1
        start = first_start + relativedelta(months=months * turn)
    db.session.flush()
    _audit("chair_rotation_changed", by, body.name, months=months, turns=turn)


def stop_chair_rotation(body: Body, *, by) -> None:
    """The chair no longer rotates: the chair role of the members applies again."""
    require_body_manager(by, body)
    db.session.execute(delete(ChairTerm).where(ChairTerm.body_id == body.id))
    _audit("chair_rotation_changed", by, body.name, stopped=True)
