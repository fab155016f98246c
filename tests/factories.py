"""Factories that build realistic rows with one call: real places, fictional people.

They go through the operations, like the app does, acting as the workspace's
first owner unless told otherwise (`by=`), and commit. Call them inside an
app context. Where a factory takes another row (a parent, a body, a person)
it takes the row or its id; so does `tenant` (a Tenant or its id).

A tenant-owned row they return has been loaded again inside its workspace;
outside that workspace's scope it can be read only until the next commit
expires it (reading it then would, rightly, raise). Keep its `.id`.

A world of many rows builds faster inside `with factories.one_commit():`
(or in a function decorated with it), where each factory flushes instead and
the block commits once at its end: its rows stay readable until then.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from samklima.extensions import db
from samklima.platform.accounts.operations import create_user
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces import operations as workspace_operations
from samklima.platform.workspaces.models import TenantMembership

PASSWORD = "kaffe og klimaplaner hver torsdag"

COUNTRY_OF = {"da": "DK", "sv": "SE", "nb": "NO", "nn": "NO", "fi": "FI", "is": "IS", "en": "DK"}


# None outside one_commit(); inside, the owner membership of each workspace, looked up once.
_one_commit: ContextVar[dict | None] = ContextVar("factories_one_commit", default=None)


@contextmanager
def one_commit():
    """Factories called in the block flush instead of committing; the block commits at its end.

    Also a decorator (`@factories.one_commit()`) for a function that builds a world. Inside
    another one_commit() it adds nothing: the outer block commits.
    """
    if _one_commit.get() is not None:
        yield
        return
    token = _one_commit.set({})
    try:
        yield
        db.session.commit()
    finally:
        _one_commit.reset(token)


def _done(row, reload=True):
    """Commit, and load a tenant-owned row again inside its workspace (the caller's
    scope): outside, reading it would (rightly) raise. Only flush inside one_commit()."""
    if _one_commit.get() is not None:
        db.session.flush()
    else:
        db.session.commit()
        if reload:
            db.session.refresh(row)
    return row


def _id(row_or_id):
    """The id of a row, or the id itself (None stays None)."""
    return row_or_id if row_or_id is None or isinstance(row_or_id, int) else row_or_id.id


def _tenant(tenant_or_id):
    """A Tenant from a Tenant or its id (the worlds of the tests keep ids)."""
    from samklima.platform.workspaces.models import Tenant

    return db.session.get(Tenant, tenant_or_id) if isinstance(tenant_or_id, int) else tenant_or_id


def owner_of(tenant) -> TenantMembership:
    """The workspace's first owner: whom the factories act as."""
    from samklima.platform.workspaces.queries import members_of

    known = _one_commit.get()
    tenant = _tenant(tenant)
    if known is not None and tenant.id in known:
        return known[tenant.id]
    owner = next(m for m in members_of(tenant) if m.role == "owner")
    if known is not None:
        known[tenant.id] = owner
    return owner


def make_user(email, name="Testperson", locale="en", verified=True, password=PASSWORD):
    return _done(create_user(email, name, password, locale, verified=verified), reload=False)


def make_workspace(slug, name, country, owner):
    return _done(workspace_operations.create_workspace(name, slug, country, by=owner), reload=False)


def add_member(tenant, user, role="member"):
    membership = TenantMembership(tenant_id=tenant.id, user_id=user.id, role=role)
    db.session.add(membership)
    return _done(membership, reload=False)


def make_invitation(tenant, by_membership, email, role="member", locale=None):
    tenant = _tenant(tenant)
    with tenant_scope(tenant):
        invitation = workspace_operations.invite(tenant, email, role, locale or tenant.default_locale, by=by_membership)
        _done(invitation)
    return invitation


def make_organisation(tenant, name, kind="municipality", parent=None, country=None, **fields):
    """An organisation in `tenant`, written as its secretariat would (the owner acts).

    `parent` is an Organisation or its id.
    """
    from samklima.tenants.organisations.operations import create_organisation

    tenant = _tenant(tenant)
    with tenant_scope(tenant):
        organisation = create_organisation(
            by=owner_of(tenant), name=name, kind=kind, country=country or tenant.country,
            parent_id=_id(parent), **fields,
        )
        _done(organisation)
    return organisation


def make_person(tenant, name, email="", organisation=None, user=None, **fields):
    """A contact in `tenant`; `user` (a User or its id) is the account they sign in with."""
    from samklima.tenants.people.operations import add_person

    with tenant_scope(tenant):
        person = add_person(name=name, email=email, organisation_id=_id(organisation), **fields)
        if user is not None:
            # Linked as an accepted invitation links a contact (people.operations.link_invited_person).
            person.user_id = _id(user)
        _done(person)
    return person


def make_body(tenant, name, kind="working_group", parent=None, reports_to=None, by=None, **fields):
    """A body (a group) in `tenant`: steering group, working group, network, secretariat ...

    `parent` and `reports_to` are Bodies or their ids; `fields` are the rest of
    bodies.operations.BodyFields (purpose, start_date, coverage_rule ...).
    """
    from samklima.tenants.bodies.operations import BodyFields, create_body

    with tenant_scope(tenant):
        body = create_body(BodyFields(name=name, kind=kind, parent_id=_id(parent), reports_to_id=_id(reports_to),
                                      **fields), by=by or owner_of(tenant))
        _done(body)
    return body


def make_seat(tenant, body, label, chosen_by="", organisation=None, by=None):
    """A named seat of `body` (seed 004: "Kommune udpeget af KD-Net"), for one organisation or any."""
    from samklima.tenants.bodies.models import Body
    from samklima.tenants.bodies.operations import add_seat

    with tenant_scope(tenant):
        seat = add_seat(db.session.get(Body, _id(body)), label, chosen_by=chosen_by,
                        organisation_id=_id(organisation), by=by or owner_of(tenant))
        _done(seat)
    return seat


def make_membership(tenant, body, person, role="member", organisation=None, seat=None, by=None, **fields):
    """`person` sits in `body` with `role`, representing `organisation`, in `seat`.

    `fields` are the rest of bodies.operations.MembershipFields (start_date,
    end_date, mandate, nominated_by); the term starts today unless told.
    Without `by` the member is placed as an answered nomination places one:
    every rule checked, no audit event (a world of many members needs no
    audit trail of its making). With `by` (a TenantMembership) they are added
    as that member would add them, permission and audit included.
    """
    from samklima.tenants.bodies.models import Body
    from samklima.tenants.bodies.operations import MembershipFields, add_membership, place_member

    with tenant_scope(tenant):
        group = db.session.get(Body, _id(body))
        values = MembershipFields(person_id=_id(person), role=role, organisation_id=_id(organisation),
                                  seat_id=_id(seat), **fields)
        membership = place_member(group, values) if by is None else add_membership(group, values, by=by)
        _done(membership)
    return membership


def make_nomination(tenant, body, organisation, recipient_email, recipient_name="", due_date=None, locale=None,
                    message="Please appoint a representative with a clear mandate.", seats=1, by=None):
    """A request to the head of `organisation` to appoint representatives to `body`, sent as
    the owner sends it (by e-mail through the outbox: the link is in that mail).

    Due two weeks from today where the workspace is, unless told; in the
    workspace's language unless told.
    """
    from samklima.platform.clock import workspace_today
    from samklima.tenants.bodies.nominations import operations as nominations
    from samklima.tenants.bodies.models import Body

    tenant = _tenant(tenant)
    with tenant_scope(tenant):
        nomination = nominations.create_nomination(db.session.get(Body, _id(body)), nominations.NominationFields(
            organisation_id=_id(organisation), recipient_name=recipient_name, recipient_email=recipient_email,
            due_date=due_date or workspace_today() + timedelta(days=14), locale=locale or tenant.default_locale,
            message=message, seats=seats), by=by or owner_of(tenant))
        _done(nomination)
    return nomination


def make_meeting(tenant, body, day=None, start=None, end=None, title=None, by=None, **fields):
    """A meeting of `body` as its manager plans it: on `day` (three weeks from today where
    the workspace is, unless told) from `start` to `end` (09:00-11:00 local), with the
    group's standing items. `fields` are the rest of meetings.operations.MeetingFields."""
    from datetime import time

    from samklima.platform.clock import workspace_today
    from samklima.tenants.bodies.models import Body
    from samklima.tenants.meetings.operations import MeetingFields, create_meeting

    with tenant_scope(tenant):
        group = db.session.get(Body, _id(body))
        meeting = create_meeting(group, MeetingFields(
            title=title or group.name, day=day or workspace_today() + timedelta(days=21),
            start=start or time(9, 0), end=end or time(11, 0), **fields), by=by or owner_of(tenant))
        _done(meeting)
    return meeting


def make_agenda_item(tenant, meeting, title, by=None, **fields):
    """An item on `meeting`'s agenda, added by its manager (or proposed, when `by` is a member)."""
    from samklima.tenants.meetings.models import Meeting
    from samklima.tenants.meetings.operations import ItemFields, propose_item

    with tenant_scope(tenant):
        item = propose_item(db.session.get(Meeting, _id(meeting)), ItemFields(title=title, **fields),
                            by=by or owner_of(tenant))
        _done(item)
    return item
