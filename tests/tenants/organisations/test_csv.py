"""CSV import and export of organisations, without HTTP.

Files as Nordic offices have them: Excel's "CSV UTF-8" (with a byte order
mark) and plain "CSV" (Windows-1252, semicolons), Nordic words for kinds.
"""
import codecs

import pytest
import time_machine
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform.errors import OperationError
from samklima.platform.tenancy import tenant_scope
from samklima.tenants.organisations import csv_files, operations
from samklima.tenants.organisations.models import Organisation
from tests.tenants.organisations.conftest import membership, organisation_rows

HEADER = "name;kind;country;official_code;parent;head_name;head_email\r\n"
NORDIC_FILE = HEADER + (
    "Bærum kommune;kommune;NO;3201;;Torild Fiktiv Aas;kommunedirektor@baerum.example\r\n"
    "Bymiljø, eiendom og utbygging;tjenesteområde;NO;;Bærum kommune;;\r\n"
    "Ærø Kommune;kommune;DK;492;;Søren Fiktiv Ærbo;direktion@aeroe.example\r\n"
    "Trollhättans stad;kommun;SE;1488;;Åsa Fiktiv Öberg;kommundirektor@trollhattan.example\r\n"
    "Samhällsbyggnadsförvaltningen;förvaltning;SE;;Trollhättans stad;;\r\n"
    "Hyvinkää;kunta;FI;106;;Päivi Fiktiv Mäkelä;kaupunginjohtaja@hyvinkaa.example\r\n"
)


def preview(workspace, text):
    with tenant_scope(workspace.id):
        return operations.preview_import(text)


def run_import(workspace, text, user=None):
    with tenant_scope(workspace.id):
        created = operations.import_organisations(text, by=membership(workspace, user or workspace.secretariat))
        db.session.commit()
        return len(created)


def problems(result):
    return {(row.number, column): str(message) for row in result.rows for column, message in row.problems}


# --- reading the file -------------------------------------------------------------------

def test_utf8_with_bom_imports_nordic_names(dk):
    text = csv_files.decode_upload(codecs.BOM_UTF8 + NORDIC_FILE.encode("utf-8"))
    assert run_import(dk, text) == 6
    rows = organisation_rows(dk.id)
    assert ("Bærum kommune", "municipality", "NO", "3201", "", "Torild Fiktiv Aas",
            "kommunedirektor@baerum.example") in rows
    assert ("Samhällsbyggnadsförvaltningen", "department", "SE", "", "Trollhättans stad", "", "") in rows
    assert ("Hyvinkää", "municipality", "FI", "106", "", "Päivi Fiktiv Mäkelä",
            "kaupunginjohtaja@hyvinkaa.example") in rows
    assert ("Ærø Kommune", "municipality", "DK", "492", "", "Søren Fiktiv Ærbo", "direktion@aeroe.example") in rows


def test_excel_windows_1252_with_semicolons_imports_nordic_names(dk):
    data = NORDIC_FILE.encode("cp1252")
    assert b"\xe6" in data  # æ as Windows-1252 has it, not valid UTF-8
    text = csv_files.decode_upload(data)
    assert run_import(dk, text) == 6
    names = [row[0] for row in organisation_rows(dk.id)]
    for name in ("Bærum kommune", "Ærø Kommune", "Trollhättans stad", "Hyvinkää", "Samhällsbyggnadsförvaltningen"):
        assert name in names


def test_comma_separated_utf8_without_bom_with_quoted_commas(dk):
    text = csv_files.decode_upload(
        'name,kind,country,parent\r\n"Horsens Kommune",municipality,DK,\r\n'
        '"Teknik, Miljø og Klima",forvaltning,DK,Horsens Kommune\r\n'.encode("utf-8")
    )
    assert run_import(dk, text) == 2
    assert ("Teknik, Miljø og Klima", "department", "DK", "", "Horsens Kommune", "", "") in organisation_rows(dk.id)


def test_excel_utf16_unicode_text_with_tabs_imports(dk):
    text = csv_files.decode_upload("name\tkind\tcountry\r\nLemvig Kommune\tkommune\tDK\r\n".encode("utf-16"))
    assert run_import(dk, text) == 1


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"   \r\n", "The file is empty."),
    (b"PK\x03\x04\x14\x00\x06\x00", "This is an Excel workbook, not a CSV file."),
    (b"name;kind;country\r\nAarhus\x81\x8d\x8f\x90\x9d;kommune;DK\r\n", "The file could not be read"),
    (b"name;kind\x00;country\r\n", "The file could not be read"),
    (codecs.BOM_UTF8 + b"name;kind;country\r\nSkive \xe6;kommune;DK\r\n", "The file could not be read"),
    (b"x" * (csv_files.MAX_FILE_BYTES + 1), "larger than 1 MB"),
])
def test_a_file_that_cannot_be_read_gets_a_clear_message(data, message):
    with pytest.raises(OperationError) as caught:
        csv_files.decode_upload(data)
    assert message in str(caught.value.message)
    assert caught.value.field == "file"


def test_missing_columns_are_named_and_nothing_is_read(dk):
    result = preview(dk, "navn;type;land\r\nSkive Kommune;kommune;DK\r\n")
    assert not result.can_import and not result.rows
    assert [str(m) for m in result.file_problems] == [
        "The file has no columns name, kind, country. The first row must name the columns: "
        "name, kind, country, official_code, parent, head_name, head_email."
    ]
    result = preview(dk, "name;kind\r\nSkive Kommune;kommune\r\n")
    assert "The file has no column country." in str(result.file_problems[0])


def test_headers_are_read_whatever_their_case_and_spacing(dk):
    result = preview(dk, "Name;KIND;Country;Official Code;Parent;Head-Name;head email\r\n"
                         "Horsens Kommune;Kommune;dk;615;;Karen Fiktiv Holm;direktor@horsens.example\r\n")
    assert result.can_import
    assert result.rows[0].official_code == "615"


def test_a_file_with_only_a_header_cannot_be_imported(dk):
    result = preview(dk, HEADER)
    assert not result.can_import
    assert "no organisations" in str(result.file_problems[0])


# --- the preview lists every problem, and nothing is written ---------------------------------

BAD_FILE = HEADER + (
    "Horsens Kommune;kommune;DK;615;;;direktor@horsens.example\r\n"  # 2: fine
    ";kommune;DK;;;;\r\n"  # 3: no name
    "Lemvig Kommune;kommunen;DK;;;;\r\n"  # 4: unknown kind
    "Hyvinkää;kunta;DE;;;;\r\n"  # 5: bad country
    "Skive Kommune;kommune;DK;779;;;\r\n"  # 6: exists already
    "Horsens Kommune;kommune;DK;;;;\r\n"  # 7: twice in the file
    "Samsø Kommune;kommune;DK;741;;Ole Fiktiv;ole(at)samsoe\r\n"  # 8: bad e-mail
    "Klimasekretariatet;forvaltning;DK;;Viborg Kommune;;\r\n"  # 9: parent unknown
    "Miljøforvaltningen;forvaltning;DK;;;;\r\n"  # 10: department without parent
    "Struer Kommune;kommune;DK;72;;;\r\n"  # 11: a Danish code has three digits ("072" would be padded)
    "\r\n"  # blank lines are skipped
    "Odder Kommune;kommune;;727;;;\r\n"  # 13: no country
)


def test_every_row_problem_is_listed_before_anything_is_written(dk):
    before = organisation_rows(dk.id)
    result = preview(dk, BAD_FILE)
    found = problems(result)
    assert not result.can_import
    assert result.rows_with_problems == 9
    assert found[(3, "name")] == "Please fill in this field."
    assert found[(4, "kind")].startswith("Unknown kind “kommunen”. Use one of: municipality, region, department")
    assert found[(5, "country")] == "Unknown country “DE”. Use DK, SE, NO, FI or IS."
    assert found[(6, "name")] == "An organisation with this name already exists here."
    assert found[(7, "name")] == "Row 2 has the same name under the same parent."
    assert found[(8, "head_email")] == "Enter a valid e-mail address, like name@kommune.dk."
    assert found[(9, "parent")].startswith("No organisation called “Viborg Kommune” exists")
    assert found[(10, "parent")] == "A department belongs to an organisation: choose it as the parent."
    assert (11, "official_code") not in found  # 72 -> 072: Excel's lost zero, put back
    assert found[(13, "country")] == "Please fill in this field."
    assert [row.number for row in result.rows if not row.problems] == [2, 11]
    assert organisation_rows(dk.id) == before


def test_a_file_with_problems_is_refused_whole_even_when_sent_straight_to_import(dk):
    before = organisation_rows(dk.id)
    with pytest.raises(OperationError) as caught:
        run_import(dk, BAD_FILE)
    db.session.rollback()
    assert "Nothing was imported" in str(caught.value.message)
    assert organisation_rows(dk.id) == before


def test_a_parent_must_come_before_its_departments(dk):
    result = preview(dk, "name;kind;country;parent\r\nMiljø;forvaltning;DK;Horsens Kommune\r\n"
                         "Horsens Kommune;kommune;DK;\r\n")
    assert "A parent must come before its departments." in problems(result)[(2, "parent")]


def test_departments_of_a_new_municipality_nest_to_any_depth_in_one_file(dk):
    text = ("name;kind;country;parent\r\n"
            "Bærum kommune;kommune;NO;\r\n"
            "Samfunns- og byutvikling;direktørområde;NO;Bærum kommune\r\n"
            "Klima og miljø;kommunalsjefsområde;NO;Samfunns- og byutvikling\r\n"
            "Klimateamet;enhet;NO;Klima og miljø\r\n")
    assert run_import(dk, text) == 4
    with tenant_scope(dk.id):
        team = db.session.scalar(select(Organisation).where(Organisation.name == "Klimateamet"))
        assert team.parent.name == "Klima og miljø" and team.kind == "department"


def test_a_parent_name_two_organisations_share_must_be_written_as_a_path(dk):
    run_import(dk, "name;kind;country;parent\r\nTeknik og Miljø;forvaltning;DK;Skive Kommune\r\n")
    ambiguous = preview(dk, "name;kind;country;parent\r\nKlimasekretariatet;forvaltning;DK;Teknik og Miljø\r\n")
    assert "Write the path from the top" in problems(ambiguous)[(2, "parent")]
    by_path = preview(dk, "name;kind;country;parent\r\n"
                          "Klimasekretariatet;forvaltning;DK;Aarhus Kommune > Teknik og Miljø\r\n")
    assert by_path.can_import
    assert by_path.rows[0].parent == ("org", dk.teknik_id)


@pytest.mark.parametrize("word, kind", [
    ("kommune", "municipality"), ("Kommun", "municipality"), ("kunta", "municipality"),
    ("region", "region"), ("fylkeskommune", "region"), ("maakunta", "region"),
    ("forvaltning", "department"), ("Förvaltning", "department"), ("tjenesteområde", "department"),
    ("national_body", "national_body"), ("national body", "national_body"), ("bolag", "company"),
    ("other", "other"), ("Municipality", "municipality"),
])
def test_kinds_are_read_in_english_and_the_nordic_languages(word, kind):
    assert csv_files.kind_from_text(word) == kind


def test_the_preview_writes_nothing_even_for_a_good_file(dk):
    before = organisation_rows(dk.id)
    assert preview(dk, NORDIC_FILE).can_import
    assert organisation_rows(dk.id) == before


# --- the preview carried to the confirmation ---------------------------------------------------

def test_the_import_token_carries_the_file_and_only_into_its_own_workspace(dk, se, app):
    with app.test_request_context(), tenant_scope(dk.id):
        token = operations.import_token(NORDIC_FILE)
        assert operations.text_of_import_token(token) == NORDIC_FILE
        with pytest.raises(OperationError):
            operations.text_of_import_token(token[:-3] + "abc")
    with app.test_request_context(), tenant_scope(se.id), pytest.raises(OperationError) as caught:
        operations.text_of_import_token(token)
    assert str(caught.value.message) == "The preview has expired. Please upload the file again."


def test_the_import_token_expires(dk, app):
    with time_machine.travel("2025-03-03 09:00", tick=False):
        with app.test_request_context(), tenant_scope(dk.id):
            token = operations.import_token(NORDIC_FILE)
    with time_machine.travel("2025-03-03 11:30", tick=False):
        with app.test_request_context(), tenant_scope(dk.id), pytest.raises(OperationError):
            operations.text_of_import_token(token)


# --- export ------------------------------------------------------------------------------

def export(workspace, delimiter=";"):
    with tenant_scope(workspace.id):
        return operations.export_csv(delimiter)


def test_export_is_utf8_with_bom_and_parents_first(dk):
    data = export(dk)
    assert data.startswith(codecs.BOM_UTF8)
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "name;kind;country;official_code;parent;head_name;head_email"
    assert lines.index("Aarhus Kommune;municipality;DK;751;;Bente Fiktiv Nielsen;direktor@aarhus.example") \
        < lines.index("Teknik og Miljø;department;DK;;Aarhus Kommune;;")


def test_export_round_trip_into_another_workspace_gives_the_same_organisations(dk, se):
    run_import(dk, NORDIC_FILE)
    # A department name two municipalities share: exported with its path.
    run_import(dk, "name;kind;country;parent\r\nTeknik og Miljø;forvaltning;DK;Skive Kommune\r\n"
                   "Klimasekretariatet;forvaltning;DK;Aarhus Kommune > Teknik og Miljø\r\n")
    data = export(dk)
    with tenant_scope(se.id):
        for organisation in db.session.scalars(select(Organisation).order_by(Organisation.id.desc())):
            db.session.delete(organisation)
            db.session.flush()
        db.session.commit()
    text = csv_files.decode_upload(data)
    assert run_import(se, text, user=se.owner) == len(organisation_rows(dk.id))
    assert organisation_rows(se.id) == organisation_rows(dk.id)


def test_exporting_again_into_the_same_workspace_lists_every_row_as_a_duplicate(dk):
    result = preview(dk, csv_files.decode_upload(export(dk)))
    assert result.rows_with_problems == len(result.rows) == 4


def test_export_neutralises_spreadsheet_formulas_and_import_restores_them(dk, se):
    run_import(dk, "name;kind;country\r\n=HYPERLINK(\"http://evil.example\");other;DK\r\n")
    data = export(dk)
    assert b"'=HYPERLINK" in data
    text = csv_files.decode_upload(data)
    assert any(row.values["name"] == '=HYPERLINK("http://evil.example")' for row in preview(se, text).rows)


def test_export_holds_only_the_workspaces_own_organisations(dk, se):
    text = export(dk).decode("utf-8-sig")
    assert "Aarhus Kommune" in text and "Trollhättans stad" not in text and "Miljöförvaltningen" not in text


def test_the_separator_follows_excels_list_separator_for_the_language():
    assert [csv_files.delimiter_for(code) for code in ("en", "da", "sv", "nb", "nn", "fi", "is")] == \
        [",", ";", ";", ";", ";", ";", ";"]


def test_excels_sep_line_names_the_separator(dk):
    result = preview(dk, "sep=,\r\nname,kind,country\r\nOdder Kommune,kommune,DK\r\n")
    assert result.can_import and result.rows[0].values["name"] == "Odder Kommune"
    assert result.rows[0].number == 2


def test_rows_are_numbered_as_the_spreadsheet_shows_them(dk):
    result = preview(dk, "\r\n\r\nname;kind;country\r\nOdder Kommune;kommune;DK\r\n\r\n;kommune;DK\r\n")
    assert [row.number for row in result.rows] == [4, 6]
    assert problems(result) == {(6, "name"): "Please fill in this field."}
