"""`flask demo load`: the demo workspaces and logins that `make run` shows.

Real places from the seeds, fictional people. The domains add their own
demo data, answering signals.demo_data.
"""
import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform import signals
from samklima.platform.accounts.operations import create_user
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces import operations as workspace_operations
from samklima.platform.workspaces.models import Tenant, TenantMembership
from samklima.platform.workspaces.queries import membership_in_tenant_of

DEMO_PASSWORD = "samklima-demo"

WORKSPACES = [
    # slug, name, country (which sets language, time zone and currency)
    ("dk2020-midtjylland", "DK2020 Midtjylland", "DK"),
    ("trollhattan-hallbarhet", "Trollhättans stad – ekologisk hållbarhet", "SE"),
    ("baerum-klima", "Bærum kommune – klimabudsjett", "NO"),
]

# e-mail, name, locale, [(workspace slug, role)], is_operator
PEOPLE = [
    ("klimakoordinator@dk2020.example", "Lene Bach Kristensen", "da", [("dk2020-midtjylland", "owner")], False),
    ("sekretariat@dk2020.example", "Mads Holm Eriksen", "da", [("dk2020-midtjylland", "secretariat")], False),
    ("hallbarhetschef@trollhattan.example", "Eva Sundberg", "sv", [("trollhattan-hallbarhet", "owner")], False),
    ("strateg@trollhattan.example", "Karin Lindqvist", "sv", [("trollhattan-hallbarhet", "admin")], False),
    ("klimasjef@baerum.example", "Torunn Haugland", "nb", [("baerum-klima", "owner")], False),
    ("klima@baerum.example", "Ingrid Solberg", "nb", [("baerum-klima", "admin")], False),
    ("radgiver@nordisk.example", "Sofie Lund Berg", "en",
     [("dk2020-midtjylland", "member"), ("trollhattan-hallbarhet", "member")], False),
    ("operator@samklima.example", "Samklima drift", "en", [], True),
]

# The logins `make run` prints: the ones the issue promises, and their roles.
PRINTED_LOGINS = [
    "sekretariat@dk2020.example",
    "strateg@trollhattan.example",
    "klima@baerum.example",
    "radgiver@nordisk.example",
    "operator@samklima.example",
]

demo_cli = AppGroup("demo", help="Demo data.")


def load_demo() -> bool:
    """Create the demo; returns False when it is already there."""
    if db.session.scalar(select(Tenant.id).where(Tenant.slug == WORKSPACES[0][0])) is not None:
        return False
    users = {}
    for email, name, locale, _memberships, is_operator in PEOPLE:
        user = create_user(email, name, DEMO_PASSWORD, locale, verified=True)
        user.is_operator = is_operator
        users[email] = user
    owners = {slug: users[email] for email, _n, _l, ms, _o in PEOPLE for slug, role in ms if role == "owner"}
    tenants = {}
    for slug, name, country in WORKSPACES:
        tenants[slug] = workspace_operations.create_workspace(name, slug, country, by=owners[slug])
    for email, _name, _locale, memberships, _operator in PEOPLE:
        for slug, role in memberships:
            tenant = tenants[slug]
            if membership_in_tenant_of(tenant, users[email]) is None:
                db.session.add(TenantMembership(tenant_id=tenant.id, user_id=users[email].id, role=role))
    db.session.flush()
    signals.demo_data.send(current_app._get_current_object(), tenants=tenants, users=users)
    _invite_example(tenants["dk2020-midtjylland"], users["klimakoordinator@dk2020.example"], "klima@horsens.example")
    return True


def _invite_example(tenant, owner, email):
    with tenant_scope(tenant):
        by = membership_in_tenant_of(tenant, owner)
        workspace_operations.invite(tenant, email, "member", tenant.default_locale, by=by)


@demo_cli.command("load")
def load_command():
    """Load the demo workspaces and logins (does nothing if they exist)."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        created = load_demo()
        db.session.commit()
    if not created:
        click.echo("Demo data is already loaded.")
    click.echo(f"\nDemo logins (password: {DEMO_PASSWORD}):")
    roles = {email: ms for email, _n, _l, ms, _o in PEOPLE}
    for email in PRINTED_LOGINS:
        where = ", ".join(f"{role} in {slug}" for slug, role in roles[email]) or "platform operator"
        click.echo(f"  {email:<36} {where}")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
