"""A DK2020 steering group that meets now (seed 004), with members who sign in,
members who never do, and a Swedish-speaking member from a partner region."""
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from samklima.platform.clock import local_today
from tests import factories

ZONE = "Europe/Copenhagen"


@dataclass
class Group:
    tenant_id: int
    slug: str
    body_id: int
    people: dict[str, int] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)


LOGINS = {
    "owner": ("mette.kjaergaard@dk2020.example", "Mette Kjærgaard", "owner"),
    "chair": ("anders.moller@skive.example", "Anders Møller Nielsen", "member"),
    "member": ("peter.kjeldsen@aarhus.example", "Peter Kjeldsen", "member"),
    "outsider": ("jens.bak@randers.example", "Jens Bak", "member"),
    "observer": ("ida.holt@kl.example", "Ida Holt", "observer"),
}


@factories.one_commit()
def build_group(slug="dk2020-midtjylland") -> Group:
    users = {key: factories.make_user(email, name) for key, (email, name, _role) in LOGINS.items()}
    tenant = factories.make_workspace(slug, "DK2020 Midtjylland", "DK", users["owner"])
    for key, (_email, _name, role) in LOGINS.items():
        if role != "owner":
            factories.add_member(tenant, users[key], role)
    t = tenant.id
    skive = factories.make_organisation(t, "Skive Kommune", official_code="779").id
    aarhus = factories.make_organisation(t, "Aarhus Kommune", official_code="751").id
    region = factories.make_organisation(t, "Region Midtjylland", "region", official_code="1082").id
    started = local_today(ZONE) - timedelta(days=200)
    body = factories.make_body(t, "Administrativ styregruppe for DK2020 Midtjylland", "administrative_steering_group",
                               start_date=started, case_number="SAG-2026-04892").id
    group = Group(tenant_id=t, slug=slug, body_id=body, logins={key: v[0] for key, v in LOGINS.items()})
    people = [
        # key, name, e-mail, organisation, login, language, role in the group
        ("chair", "Anders Møller Nielsen", "anders.moller@skive.example", skive, "chair", "da", "co_chair"),
        ("member", "Peter Kjeldsen", "peter.kjeldsen@aarhus.example", aarhus, "member", "da", "member"),
        ("karen", "Karen Dahl", "karen.dahl@rm.example", region, None, "da", "member"),
        ("sanna", "Sanna Lindberg", "sanna.lindberg@rm.example", region, None, "sv", "member"),
        ("nomail", "Ole Friis", "", region, None, "", "member"),
        ("outsider", "Jens Bak", "jens.bak@randers.example", None, "outsider", "da", None),
    ]
    for key, name, email, organisation, login, locale, role in people:
        group.people[key] = factories.make_person(t, name, email, organisation,
                                                  user=users[login] if login else None, locale=locale).id
        if role:
            group.members[key] = factories.make_membership(t, body, group.people[key], role, organisation,
                                                           start_date=started).id
    return group


@pytest.fixture
def group(app_context):
    return build_group()


def in_weeks(weeks: int) -> date:
    return local_today(ZONE) + timedelta(weeks=weeks)
