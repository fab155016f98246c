"""Organisation pages through the test client: the tree, one organisation,
the forms, CSV import with its preview, the export, and who may do what."""
import codecs
import io
import re
from datetime import date

import pytest

from samklima.extensions import db
from samklima.platform.tenancy import tenant_scope
from tests import factories
from tests.tenants.organisations.conftest import organisation_rows
from tests.tenants.organisations.test_csv import NORDIC_FILE


def signed_in(make_browser, user):
    browser = make_browser()
    browser.login(user.email)
    return browser


def text_of(response):
    return response.get_data(as_text=True)


def upload(browser, slug, data, filename="organisationer.csv"):
    return browser.post(f"/{slug}/organisations/import", {"file": (io.BytesIO(data), filename)},
                        content_type="multipart/form-data")


ORGANISATION_FORM = {
    "name": "Horsens Kommune", "kind": "municipality", "parent_id": "", "country": "DK",
    "official_code": "615", "head_name": "Karen Fiktiv Holm", "head_email": "direktor@horsens.example",
}


# --- reading ---------------------------------------------------------------------------------

def test_the_list_shows_the_tree_with_kind_country_code_and_head(dk, make_browser):
    page = text_of(signed_in(make_browser, dk.member).get(f"/{dk.slug}/organisations"))
    assert page.index("Aarhus Kommune") < page.index("Teknik og Miljø") < page.index("Region Midtjylland") \
        < page.index("Skive Kommune")
    assert 'class="tree-depth-1"' in page and "part of Aarhus Kommune" in page
    assert "751" in page and "Bente Fiktiv Nielsen" in page and "direktor@aarhus.example" in page
    assert "Municipality" in page and "Department" in page and "Region" in page


def test_a_member_reads_but_sees_no_way_to_write(dk, make_browser):
    browser = signed_in(make_browser, dk.member)
    page = text_of(browser.get(f"/{dk.slug}/organisations"))
    assert "/organisations/new" not in page and "/organisations/import" not in page
    assert "/organisations/export.csv" in page
    page = text_of(browser.get(f"/{dk.slug}/organisations/{dk.aarhus_id}"))
    assert "/edit" not in page


def test_the_organisation_page_shows_departments_people_and_groups(dk, make_browser):
    tenant = dk.tenant
    klima = factories.make_organisation(tenant, "Klima og Bæredygtighed", kind="department", parent=dk.teknik_id).id
    anne = factories.make_person(tenant, "Anne Fiktiv Juhl", "anne@aarhus.example", organisation=dk.aarhus_id,
                                 title="Klimachef").id
    ole = factories.make_person(tenant, "Ole Fiktiv Bruun", "ole@aarhus.example", organisation=dk.aarhus_id).id
    styregruppe = factories.make_body(tenant, "Administrativ styregruppe DK2020", "administrative_steering_group")
    gammel = factories.make_body(tenant, "Klimapartnerskabet 2019", "network")
    factories.make_membership(tenant, styregruppe, anne, "co_chair", dk.aarhus_id, start_date=date(2020, 9, 16))
    factories.make_membership(tenant, gammel, ole, "member", dk.aarhus_id, start_date=date(2019, 1, 1),
                              end_date=date(2019, 12, 31))
    page = text_of(signed_in(make_browser, dk.observer).get(f"/{dk.slug}/organisations/{dk.aarhus_id}"))
    assert "Teknik og Miljø" in page and "Klima og Bæredygtighed" in page
    assert f"/organisations/{klima}" in page
    assert "Anne Fiktiv Juhl" in page and "Klimachef" in page and "Ole Fiktiv Bruun" in page
    assert "Administrativ styregruppe DK2020" in page and "Co-chair" in page
    assert "Klimapartnerskabet 2019" not in page  # an ended membership represents no one today
    department = text_of(signed_in(make_browser, dk.member).get(f"/{dk.slug}/organisations/{klima}"))
    assert 'class="breadcrumbs"' in department and department.index("Aarhus Kommune") < department.index("Teknik og Miljø")


def test_another_workspaces_organisation_is_404(dk, se, make_browser):
    browser = signed_in(make_browser, dk.owner)
    assert browser.get(f"/{dk.slug}/organisations/{se.stad_id}").status_code == 404
    assert browser.get(f"/{dk.slug}/organisations/{se.stad_id}/edit").status_code == 404


# --- writing ----------------------------------------------------------------------------------

def test_secretariat_adds_a_municipality_and_a_department_under_it(dk, make_browser):
    browser = signed_in(make_browser, dk.secretariat)
    response = browser.post(f"/{dk.slug}/organisations/new", ORGANISATION_FORM)
    assert response.status_code == 302
    horsens = int(re.search(r"/organisations/(\d+)$", response.headers["Location"]).group(1))
    form = text_of(browser.get(f"/{dk.slug}/organisations/new?parent={horsens}"))
    assert re.search(rf'<option selected value="{horsens}">|<option value="{horsens}" selected>', form)
    response = browser.post(f"/{dk.slug}/organisations/new", {
        "name": "Miljø og Teknik", "kind": "department", "parent_id": str(horsens), "country": "DK",
    })
    assert response.status_code == 302
    assert ("Miljø og Teknik", "department", "DK", "", "Horsens Kommune", "", "") in organisation_rows(dk.id)


def test_a_duplicate_name_is_refused_with_the_form_kept_and_nothing_written(dk, make_browser):
    before = organisation_rows(dk.id)
    browser = signed_in(make_browser, dk.secretariat)
    response = browser.post(f"/{dk.slug}/organisations/new", {**ORGANISATION_FORM, "name": "Skive kommune"})
    page = text_of(response)
    assert response.status_code == 422
    assert "An organisation with this name already exists here." in page
    assert 'value="Skive kommune"' in page and 'value="direktor@horsens.example"' in page
    assert organisation_rows(dk.id) == before


def test_moving_an_organisation_under_its_own_department_is_refused(dk, make_browser):
    browser = signed_in(make_browser, dk.secretariat)
    form = {**ORGANISATION_FORM, "name": "Aarhus Kommune", "official_code": "751", "parent_id": str(dk.teknik_id)}
    page = text_of(browser.post(f"/{dk.slug}/organisations/{dk.aarhus_id}/edit", form))
    assert "An organisation cannot be placed under itself." in page
    edit_page = text_of(browser.get(f"/{dk.slug}/organisations/{dk.aarhus_id}/edit"))
    assert f'value="{dk.teknik_id}"' not in edit_page  # not even offered
    with tenant_scope(dk.id):
        from samklima.tenants.organisations.models import Organisation
        assert db.session.get(Organisation, dk.aarhus_id).parent_id is None


@pytest.mark.parametrize("field, value, message", [
    ("parent_id", "kommune", "Choose a parent organisation from the list."),
    ("kind", "kommunen", "Choose a kind from the list."),
    ("country", "XX", "Choose a country from the list."),
    ("head_email", "ikke en adresse", "Enter a valid e-mail address"),
    ("official_code", "61567", "Use an official code of 3 digits, for example 751."),
])
def test_bad_input_gets_a_message_beside_the_field_and_nothing_is_written(dk, make_browser, field, value, message):
    before = organisation_rows(dk.id)
    form = {**ORGANISATION_FORM, field: value}
    response = signed_in(make_browser, dk.secretariat).post(f"/{dk.slug}/organisations/new", form)
    assert response.status_code == 422 and message in text_of(response)
    assert organisation_rows(dk.id) == before


@pytest.mark.parametrize("role", ["member", "observer"])
def test_readers_get_403_for_every_writing_page(dk, make_browser, role):
    before = organisation_rows(dk.id)
    browser = signed_in(make_browser, getattr(dk, role))
    for url in ("/organisations/new", f"/organisations/{dk.skive_id}/edit", "/organisations/import"):
        assert browser.get(f"/{dk.slug}{url}").status_code == 403
        assert browser.post(f"/{dk.slug}{url}", ORGANISATION_FORM).status_code == 403
    response = upload(browser, dk.slug, NORDIC_FILE.encode())
    assert response.status_code == 403
    assert browser.post(f"/{dk.slug}/organisations/import/confirm", {"token": "x"}).status_code == 403
    assert organisation_rows(dk.id) == before


# --- CSV import through the pages -------------------------------------------------------------------

def test_upload_preview_then_confirm_imports_every_row(dk, make_browser):
    browser = signed_in(make_browser, dk.secretariat)
    before = organisation_rows(dk.id)
    response = upload(browser, dk.slug, codecs.BOM_UTF8 + NORDIC_FILE.encode("utf-8"))
    page = text_of(response)
    assert response.status_code == 200
    assert "The file has 6 organisations and no problems." in page and "Import 6 organisations" in page
    assert "Bærum kommune" in page and "Hyvinkää" in page
    assert organisation_rows(dk.id) == before  # the preview wrote nothing
    token = re.search(r'name="token" type="hidden" value="([^"]+)"|type="hidden" name="token" value="([^"]+)"',
                      page)
    token = next(group for group in token.groups() if group)
    response = browser.post(f"/{dk.slug}/organisations/import/confirm", {"token": token})
    assert response.status_code == 302
    assert "6 organisations are imported." in text_of(browser.get(response.headers["Location"]))
    assert len(organisation_rows(dk.id)) == len(before) + 6


def test_a_windows_1252_file_with_row_problems_shows_them_all_and_offers_no_import(dk, make_browser):
    data = (NORDIC_FILE + "Skive Kommune;kommune;DK;779;;;\r\nLemvig Kommune;kommunen;DK;;;;\r\n").encode("cp1252")
    before = organisation_rows(dk.id)
    page = text_of(upload(signed_in(make_browser, dk.secretariat), dk.slug, data))
    assert "2 rows have problems. Nothing has been imported." in page
    assert "An organisation with this name already exists here." in page
    assert "Unknown kind “kommunen”" in page
    assert "Trollhättans stad" in page  # read correctly from Windows-1252
    assert "/organisations/import/confirm" not in page
    assert organisation_rows(dk.id) == before


@pytest.mark.parametrize("data, message", [
    (b"navn;type\r\nSkive;kommune\r\n", "The file has no columns name, kind, country."),
    (b"name;kind;country\r\nAarhus\x81\x8d;kommune;DK\r\n", "The file could not be read"),
    (b"PK\x03\x04rest-of-a-workbook", "This is an Excel workbook, not a CSV file."),
    (b"", "The file is empty."),
])
def test_a_file_that_cannot_be_used_gets_a_clear_message(dk, make_browser, data, message):
    response = upload(signed_in(make_browser, dk.secretariat), dk.slug, data)
    assert response.status_code == 422
    assert message in text_of(response)


def test_uploading_without_a_file_asks_for_one(dk, make_browser):
    response = signed_in(make_browser, dk.secretariat).post(f"/{dk.slug}/organisations/import", {})
    assert "Choose a CSV file." in text_of(response)


def test_a_tampered_or_foreign_token_imports_nothing(dk, se, make_browser, app):
    from samklima.tenants.organisations.operations import import_token

    with app.test_request_context(), tenant_scope(se.id):
        foreign = import_token(NORDIC_FILE)
    before = organisation_rows(dk.id)
    browser = signed_in(make_browser, dk.secretariat)
    for token in (foreign, "not-a-token", ""):
        response = browser.post(f"/{dk.slug}/organisations/import/confirm", {"token": token})
        assert response.status_code == 302
    assert organisation_rows(dk.id) == before


def test_a_problem_that_appears_after_the_preview_stops_the_whole_import(dk, make_browser, app):
    from samklima.tenants.organisations.operations import import_token

    with app.test_request_context(), tenant_scope(dk.id):
        token = import_token(NORDIC_FILE)
    factories.make_organisation(dk.tenant, "Hyvinkää", country="FI")  # someone else was quicker
    before = organisation_rows(dk.id)
    response = signed_in(make_browser, dk.secretariat).post(f"/{dk.slug}/organisations/import/confirm",
                                                            {"token": token})
    page = text_of(response)
    assert response.status_code == 422
    assert "Nothing was imported" in page and "An organisation with this name already exists here." in page
    assert organisation_rows(dk.id) == before


# --- CSV export -------------------------------------------------------------------------------

def test_export_downloads_the_workspaces_organisations_for_excel(dk, se, make_browser):
    response = signed_in(make_browser, dk.observer).get(f"/{dk.slug}/organisations/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="organisations-dk2020-midtjylland.csv"' == response.headers["Content-Disposition"]
    assert response.data.startswith(codecs.BOM_UTF8)
    text = response.data.decode("utf-8-sig")
    assert "Teknik og Miljø" in text and "Miljöförvaltningen" not in text


def test_export_of_another_workspace_is_404(dk, se, make_browser):
    assert signed_in(make_browser, dk.owner).get(f"/{se.slug}/organisations/export.csv").status_code == 404


def test_export_then_import_into_an_empty_workspace_round_trips(dk, make_browser, app_context):
    ingrid = factories.make_user("ingrid@baerum.example", "Ingrid Solberg", "nb")
    empty = factories.make_workspace("baerum-klima", "Bærum kommune – klimabudsjett", "NO", ingrid)
    data = signed_in(make_browser, dk.owner).get(f"/{dk.slug}/organisations/export.csv").data
    browser = signed_in(make_browser, ingrid)
    page = text_of(upload(browser, empty.slug, data))
    token = re.search(r'name="token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="token"', page)
    token = next(group for group in token.groups() if group)
    assert browser.post(f"/{empty.slug}/organisations/import/confirm", {"token": token}).status_code == 302
    assert organisation_rows(empty.id) == organisation_rows(dk.id)
