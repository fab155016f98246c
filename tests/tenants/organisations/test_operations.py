"""The rules of organisations, without HTTP: names, the tree, codes, who may write."""
import pytest
from sqlalchemy import func, select

from samklima.extensions import db
from samklima.platform.errors import OperationError
from samklima.platform.permissions import PermissionDenied
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.organisations import operations, queries
from samklima.tenants.organisations.models import Organisation
from tests.tenants.organisations.conftest import membership


def count_organisations(tenant_id):
    with tenant_scope(tenant_id):
        return db.session.scalar(select(func.count(Organisation.id)))


def create(workspace, user=None, **values):
    values.setdefault("kind", "municipality")
    values.setdefault("country", "DK")
    with tenant_scope(workspace.id):
        created = operations.create_organisation(by=membership(workspace, user or workspace.secretariat), **values)
        db.session.commit()
        db.session.refresh(created)
        return created


def update(workspace, organisation_id, user=None, **changes):
    with tenant_scope(workspace.id):
        organisation = db.session.get(Organisation, organisation_id)
        values = {name: getattr(organisation, name) for name in (
            "name", "kind", "country", "parent_id", "official_code", "head_name", "head_email")}
        values.update(changes)
        operations.update_organisation(organisation, by=membership(workspace, user or workspace.secretariat),
                                       **values)
        db.session.commit()


def error_of(call, *args, **kwargs) -> OperationError:
    with pytest.raises(OperationError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value


def test_secretariat_creates_a_municipality_with_its_code_and_head(dk):
    created = create(dk, name="  Horsens   Kommune ", official_code="615", head_name="Karen Fiktiv Holm",
                     head_email=" Direktor@Horsens.example ")
    assert (created.name, created.official_code, created.head_email) == ("Horsens Kommune", "615",
                                                                         "direktor@horsens.example")


def test_duplicate_name_under_the_same_parent_is_refused(dk):
    before = count_organisations(dk.id)
    error = error_of(create, dk, name="skive kommune")
    assert (error.field, str(error.message)) == ("name", "An organisation with this name already exists here.")
    error = error_of(create, dk, name="TEKNIK OG MILJØ", kind="department", parent_id=dk.aarhus_id)
    assert error.field == "name"
    assert count_organisations(dk.id) == before


def test_duplicate_check_folds_nordic_letters_too(dk):
    create(dk, name="Ærø Kommune", official_code="492")
    assert error_of(create, dk, name="ÆRØ KOMMUNE").field == "name"


def test_the_same_department_name_under_two_municipalities_is_allowed(dk):
    other = create(dk, name="Teknik og Miljø", kind="department", parent_id=dk.skive_id)
    assert other.parent_id == dk.skive_id


def test_renaming_onto_a_sibling_name_is_refused_but_keeping_ones_own_name_is_fine(dk):
    update(dk, dk.skive_id, head_name="Per Fiktiv Madsen")
    assert error_of(update, dk, dk.skive_id, name="Aarhus Kommune").field == "name"


def test_an_organisation_cannot_be_its_own_parent_or_ancestor(dk):
    sub = create(dk, name="Klima og Bæredygtighed", kind="department", parent_id=dk.teknik_id)
    for new_parent in (dk.aarhus_id, dk.teknik_id, sub.id):
        error = error_of(update, dk, dk.aarhus_id, parent_id=new_parent)
        assert (error.field, str(error.message)) == ("parent_id", "An organisation cannot be placed under itself.")
    with tenant_scope(dk.id):
        assert db.session.get(Organisation, dk.aarhus_id).parent_id is None


def test_departments_nest_to_any_depth(dk):
    # Bærum: direktørområde, kommunalsjefsområde, enhet.
    level = dk.teknik_id
    for name in ("Klima og Bæredygtighed", "Klimasekretariatet", "Klimatilpasning", "Data og analyse"):
        level = create(dk, name=name, kind="department", parent_id=level).id
    with tenant_scope(dk.id):
        assert dk.aarhus_id not in queries.descendant_ids(level)
        assert level in queries.descendant_ids(dk.aarhus_id)


def test_a_department_needs_a_parent(dk):
    error = error_of(create, dk, name="Miljøforvaltningen", kind="department")
    assert error.field == "parent_id"


def test_a_parent_of_another_workspace_is_refused_like_a_missing_one(dk, se):
    error = error_of(create, dk, name="Kultur- och fritidsförvaltningen", kind="department", parent_id=se.stad_id)
    assert (error.field, str(error.message)) == ("parent_id", "Choose a parent organisation from the list.")
    assert error_of(create, dk, name="Ny kommune", parent_id=999_999).field == "parent_id"


@pytest.mark.parametrize("kind, country, typed, stored", [
    ("municipality", "NO", "301", "0301"),  # Oslo, after Excel took the zero away
    ("municipality", "FI", "91", "091"),  # Helsinki
    ("municipality", "FI", "106", "106"),  # Hyvinkää
    ("municipality", "SE", "1488", "1488"),  # Trollhättan
    ("region", "DK", "1082", "1082"),  # Region Midtjylland
    ("company", "SE", "556000-0000", "556000-0000"),  # free text where there is no scheme
])
def test_official_codes_are_kept_with_their_leading_zeros(dk, kind, country, typed, stored):
    created = create(dk, name=f"Testorganisation {country} {typed}", kind=kind, country=country, official_code=typed)
    assert created.official_code == stored


@pytest.mark.parametrize("country, code", [("DK", "7510"), ("SE", "14X8"), ("NO", "32011"), ("FI", "١٠٦")])
def test_a_municipality_code_of_the_wrong_shape_is_refused(dk, country, code):
    error = error_of(create, dk, name="Bærum kommune", country=country, official_code=code)
    assert error.field == "official_code"
    assert "digits, for example" in str(error.message)


def test_a_bad_head_email_is_refused(dk):
    error = error_of(create, dk, name="Lemvig Kommune", head_email="direktør at lemvig")
    assert error.field == "head_email"


@pytest.mark.parametrize("field, value", [("kind", "kommunen"), ("country", "DE"), ("name", "   ")])
def test_unknown_kind_country_or_empty_name_is_refused(dk, field, value):
    values = {"name": "Samsø Kommune", "kind": "municipality", "country": "DK", field: value}
    assert error_of(create, dk, **values).field == field


@pytest.mark.parametrize("role", ["member", "observer"])
def test_members_and_observers_cannot_write(dk, role):
    user = getattr(dk, role)
    with pytest.raises(PermissionDenied):
        create(dk, user, name="Horsens Kommune")
    with pytest.raises(PermissionDenied):
        update(dk, dk.skive_id, user, name="Skive Kommune 2")
    with pytest.raises(PermissionDenied), tenant_scope(dk.id):
        operations.import_organisations("name,kind,country\nHorsens Kommune,kommune,DK\n", by=membership(dk, user))


@pytest.mark.parametrize("role", ["secretariat", "owner"])
def test_secretariat_admins_and_owners_write(dk, role):
    assert create(dk, getattr(dk, role), name=f"Horsens Kommune {role}").id
