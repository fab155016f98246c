"""Factories that build realistic rows with one call: real places, fictional people.

They go through the operations, like the app does, and commit. Call them
inside an app context.
"""
from samklima.extensions import db
from samklima.platform.accounts.operations import create_user
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces import operations as workspace_operations
from samklima.platform.workspaces.models import TenantMembership

PASSWORD = "kaffe og klimaplaner hver torsdag"

COUNTRY_OF = {"da": "DK", "sv": "SE", "nb": "NO", "nn": "NO", "fi": "FI", "is": "IS", "en": "DK"}


def make_user(email, name="Testperson", locale="en", verified=True, password=PASSWORD):
    user = create_user(email, name, password, locale, verified=verified)
    db.session.commit()
    return user


def make_workspace(slug, name, country, owner):
    tenant = workspace_operations.create_workspace(name, slug, country, by=owner)
    db.session.commit()
    return tenant


def add_member(tenant, user, role="member"):
    membership = TenantMembership(tenant_id=tenant.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def make_invitation(tenant, by_membership, email, role="member", locale=None):
    with tenant_scope(tenant):
        invitation = workspace_operations.invite(tenant, email, role, locale or tenant.default_locale, by=by_membership)
        db.session.commit()
        # Load it again inside its workspace: outside, reading it would (rightly) raise.
        db.session.refresh(invitation)
    return invitation


def make_organisation(tenant, name, kind="municipality", parent=None, country=None, **fields):
    """An organisation in `tenant`, written as its secretariat would (the owner acts).

    `parent` is an Organisation or its id; like every tenant-owned row, the
    returned one can be read outside its workspace's scope only until the next commit.
    """
    from samklima.platform.workspaces.queries import members_of
    from samklima.tenants.organisations.operations import create_organisation

    owner = next(m for m in members_of(tenant) if m.role == "owner")
    with tenant_scope(tenant):
        organisation = create_organisation(
            by=owner, name=name, kind=kind, country=country or tenant.country,
            parent_id=parent if parent is None or isinstance(parent, int) else parent.id, **fields,
        )
        db.session.commit()
        db.session.refresh(organisation)
    return organisation


def make_person(tenant, name, email="", organisation=None, **fields):
    from samklima.tenants.people.operations import add_person

    with tenant_scope(tenant):
        organisation_id = organisation if organisation is None or isinstance(organisation, int) else organisation.id
        person = add_person(name=name, email=email, organisation_id=organisation_id, **fields)
        db.session.commit()
        db.session.refresh(person)
    return person
