"""Every change to a workspace's organisations, and the rules they follow.

The same rules check a form and each row of an imported CSV file: they return
their problems rather than raise the first one, so that an import preview can
list every problem of every row before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform import rules
from samklima.platform.audit.operations import record
from samklima.platform.errors import OperationError
from samklima.platform.permissions import require_role
from samklima.platform.tenancy import current_tenant_id
from samklima.tenants.organisations import csv_files
from samklima.tenants.organisations.models import COUNTRIES, ORGANISATION_KINDS, Organisation
from samklima.tenants.organisations.queries import descendant_ids, find_by_name, folded, organisation_tree

# The official code's length, and an example, where a country has one scheme:
# Danish kommunekode (Aarhus 751) and regionskode (Midtjylland 1082), Swedish
# kommunkod (Trollhättan 1488) and länskod, Norwegian kommunenummer (Bærum 3201)
# and fylkesnummer, Finnish kuntanumero (Hyvinkää 106) and maakuntakoodi,
# Icelandic sveitarfélagsnúmer (Kópavogur 1000).
OFFICIAL_CODES = {
    ("municipality", "DK"): (3, "751"),
    ("municipality", "SE"): (4, "1488"),
    ("municipality", "NO"): (4, "3201"),
    ("municipality", "FI"): (3, "106"),
    ("municipality", "IS"): (4, "1000"),
    ("region", "DK"): (4, "1082"),
    ("region", "SE"): (2, "14"),
    ("region", "NO"): (2, "32"),
    ("region", "FI"): (2, "01"),
}
MAX_LENGTHS = {"name": 200, "official_code": 20, "head_name": 200, "head_email": 254}
IMPORT_LIFETIME_SECONDS = 2 * 60 * 60
MAX_IMPORT_ROWS = 5000


def normalise_official_code(kind: str, country: str, code: str) -> str:
    """Put back the leading zeros Excel takes away (Oslo 0301, Helsinki 091)."""
    code = code.strip()
    digits = OFFICIAL_CODES.get((kind, country))
    if digits and re.fullmatch(r"[0-9]+", code) and len(code) < digits[0]:
        return code.zfill(digits[0])
    return code


@dataclass
class OrganisationFields:
    """What a form or a CSV row says about one organisation."""

    name: str
    kind: str
    country: str
    parent_id: int | None = None
    official_code: str = ""
    head_name: str = ""
    head_email: str = ""

    def __post_init__(self):
        self.name = " ".join((self.name or "").split())
        self.kind = (self.kind or "").strip()
        self.country = (self.country or "").strip().upper()
        self.head_name = (self.head_name or "").strip()
        self.head_email = (self.head_email or "").strip().lower()
        self.official_code = normalise_official_code(self.kind, self.country, self.official_code or "")

    def value_problems(self) -> list[tuple[str, object]]:
        """(field, message) for each rule the values break, parent aside."""
        problems = []
        if not self.name:
            problems.append(("name", rules.FILL_IN))
        if self.kind not in ORGANISATION_KINDS:
            problems.append(("kind", _l("Choose a kind from the list.")))
        if self.country not in COUNTRIES:
            problems.append(("country", _l("Choose a country from the list.")))
        for name, limit in MAX_LENGTHS.items():
            if len(getattr(self, name)) > limit:
                problems.append((name, _l("Use at most %(max)d characters.", max=limit)))
        digits = OFFICIAL_CODES.get((self.kind, self.country))
        if self.official_code and digits and not (
            re.fullmatch(r"[0-9]+", self.official_code) and len(self.official_code) == digits[0]
        ):
            problems.append(("official_code", lazy_ngettext(
                "Use an official code of %(num)d digit, for example %(example)s.",
                "Use an official code of %(num)d digits, for example %(example)s.",
                digits[0], example=digits[1],
            )))
        if self.head_email and len(self.head_email) <= MAX_LENGTHS["head_email"]:
            if not rules.is_email_address(self.head_email):
                problems.append(("head_email", rules.VALID_EMAIL))
        if self.kind == "department" and self.parent_id is None:
            problems.append(("parent_id", _l("A department belongs to an organisation: choose it as the parent.")))
        return problems

    def apply(self, organisation: Organisation) -> None:
        for name, value in vars(self).items():
            setattr(organisation, name, value)


# --- one organisation ---------------------------------------------------------------

def _check(fields: OrganisationFields, organisation: Organisation | None = None) -> None:
    problems = fields.value_problems()
    if problems:
        raise OperationError(problems[0][1], field=problems[0][0])
    if fields.parent_id is not None:
        if db.session.scalar(select(Organisation.id).where(Organisation.id == fields.parent_id)) is None:
            raise OperationError(_l("Choose a parent organisation from the list."), field="parent_id")
        if organisation is not None and (
            fields.parent_id == organisation.id or fields.parent_id in descendant_ids(organisation.id)
        ):
            raise OperationError(_l("An organisation cannot be placed under itself."), field="parent_id")
    same = find_by_name(fields.name, fields.parent_id)
    if same is not None and (organisation is None or same.id != organisation.id):
        raise OperationError(_l("An organisation with this name already exists here."), field="name")


def create_organisation(*, by, name: str, kind: str, country: str, parent_id: int | None = None,
                        official_code: str = "", head_name: str = "", head_email: str = "") -> Organisation:
    require_role(by, "secretariat")
    fields = OrganisationFields(name, kind, country, parent_id, official_code, head_name, head_email)
    _check(fields)
    organisation = Organisation()
    fields.apply(organisation)
    db.session.add(organisation)
    db.session.flush()
    record("organisation_created", actor=by.user, subject=organisation.name)
    return organisation


def update_organisation(organisation: Organisation, *, by, name: str, kind: str, country: str,
                        parent_id: int | None, official_code: str, head_name: str, head_email: str) -> None:
    require_role(by, "secretariat")
    fields = OrganisationFields(name, kind, country, parent_id, official_code, head_name, head_email)
    _check(fields, organisation)
    fields.apply(organisation)
    db.session.flush()
    record("organisation_changed", actor=by.user, subject=organisation.name)


# --- CSV import: a preview first, then all rows or none ----------------------------------

@dataclass
class ImportRow:
    number: int  # the row in the spreadsheet: the header is row 1
    values: dict[str, str]
    kind: str | None = None
    country: str | None = None
    official_code: str = ""
    parent: tuple | None = None  # ("org", id) or ("row", number)
    problems: list[tuple[str | None, object]] = field(default_factory=list)


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    file_problems: list[object] = field(default_factory=list)

    @property
    def rows_with_problems(self) -> int:
        return sum(1 for row in self.rows if row.problems)

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.file_problems and not self.rows_with_problems


class _Places:
    """Every organisation a row's `parent` may name: the workspace's and the file's earlier rows."""

    def __init__(self, existing: list[Organisation]):
        self.names: dict[tuple, str] = {}
        self.parent_of: dict[tuple, tuple | None] = {}
        for organisation in existing:
            key = ("org", organisation.id)
            self.names[key] = organisation.name
            self.parent_of[key] = ("org", organisation.parent_id) if organisation.parent_id else None

    def add_row(self, row: ImportRow) -> None:
        key = ("row", row.number)
        self.names[key] = row.values["name"]
        # A row whose parent was not found sits nowhere: it is no top-level organisation.
        self.parent_of[key] = row.parent if row.parent or not row.values["parent"] else ("unknown",)

    def named(self, name: str, parent: tuple | None | bool = False) -> list[tuple]:
        wanted = folded(name)
        return [
            key for key, known in self.names.items()
            if folded(known) == wanted and (parent is False or self.parent_of[key] == parent)
        ]

    def find(self, text: str) -> list[tuple]:
        """By name, or by a path from the top ("Trollhättans stad > Miljöförvaltningen")."""
        if csv_files.PATH_SEPARATOR.strip() not in text:
            return self.named(text)
        found: list[tuple | None] = [None]
        for step in (part.strip() for part in text.split(csv_files.PATH_SEPARATOR.strip())):
            found = [key for parent in found for key in self.named(step, parent)]
        return found

    def path(self, key: tuple) -> str:
        steps, seen = [], set()
        while key is not None and key in self.names and key not in seen:
            seen.add(key)
            steps.append(self.names[key])
            key = self.parent_of[key]
        return csv_files.PATH_SEPARATOR.join(reversed(steps))


def preview_import(text: str) -> ImportPreview:
    """Read a CSV file's text and list every problem of every row; writes nothing."""
    preview = ImportPreview()
    header, records, problems = csv_files.read_table(text)
    preview.file_problems = problems
    if problems:
        return preview
    if len(records) > MAX_IMPORT_ROWS:
        preview.file_problems.append(_l("The file has more than %(max)d rows. Split it into smaller files.",
                                        max=MAX_IMPORT_ROWS))
        return preview
    places = _Places(db.session.scalars(select(Organisation)).all())
    seen_in_file: dict[tuple, int] = {}
    for number, values in records:
        row = ImportRow(number=number, values=values)
        _read_row(row, places, seen_in_file)
        preview.rows.append(row)
        places.add_row(row)
    if not preview.rows:
        preview.file_problems.append(_l("The file has a header row but no organisations."))
    return preview


def _read_row(row: ImportRow, places: _Places, seen_in_file: dict[tuple, int]) -> None:
    values = row.values
    row.kind = csv_files.kind_from_text(values["kind"])
    row.country = csv_files.country_from_text(values["country"])
    if values["parent"]:
        found = places.find(values["parent"])
        if not found:
            row.problems.append(("parent", _l(
                "No organisation called “%(name)s” exists in the workspace or in an earlier row. "
                "A parent must come before its departments.", name=values["parent"])))
        elif len(found) > 1:
            row.problems.append(("parent", _l(
                "Several organisations are called “%(name)s”. Write the path from the top, "
                "for example “%(example)s”.", name=values["parent"], example=places.path(found[0]))))
        else:
            row.parent = found[0]
    fields = OrganisationFields(
        values["name"], row.kind or "", row.country or "",
        parent_id=0 if values["parent"] else None,  # only "has a parent" matters to the value rules
        official_code=values["official_code"], head_name=values["head_name"], head_email=values["head_email"],
    )
    row.official_code = fields.official_code
    for column, message in fields.value_problems():
        if column in ("kind", "country") and not values[column]:
            message = rules.FILL_IN
        elif column == "kind":
            message = _l("Unknown kind “%(kind)s”. Use one of: %(kinds)s.", kind=values["kind"],
                         kinds=", ".join(csv_files.KIND_EXAMPLES))
        elif column == "country":
            message = _l("Unknown country “%(country)s”. Use DK, SE, NO, FI or IS.", country=values["country"])
        row.problems.append(("parent" if column == "parent_id" else column, message))
    parent_unknown = bool(values["parent"]) and row.parent is None
    if fields.name and not parent_unknown:
        if any(key[0] == "org" for key in places.named(fields.name, row.parent)):
            row.problems.append(("name", _l("An organisation with this name already exists here.")))
        key = (row.parent, folded(fields.name))
        if key in seen_in_file:
            row.problems.append(("name", _l("Row %(row)d has the same name under the same parent.",
                                            row=seen_in_file[key])))
        else:
            seen_in_file[key] = row.number


def import_organisations(text: str, *, by) -> list[Organisation]:
    """Write every row of a file that has no problems, or none: a problem raises."""
    require_role(by, "secretariat")
    preview = preview_import(text)
    if not preview.can_import:
        raise OperationError(_l("The file has problems. Nothing was imported: correct them and upload it again."))
    created: dict[int, Organisation] = {}
    for row in preview.rows:
        if row.parent is None:
            parent_id = None
        elif row.parent[0] == "org":
            parent_id = row.parent[1]
        else:
            parent_id = created[row.parent[1]].id
        organisation = Organisation()
        OrganisationFields(
            row.values["name"], row.kind, row.country, parent_id, row.values["official_code"],
            row.values["head_name"], row.values["head_email"],
        ).apply(organisation)
        db.session.add(organisation)
        db.session.flush()  # its id is a later row's parent_id
        created[row.number] = organisation
    record("organisations_imported", actor=by.user, subject=str(len(created)), count=len(created))
    return list(created.values())


def _import_serializer() -> URLSafeTimedSerializer:
    # Salted with the workspace: a preview made in one workspace imports nowhere else.
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"organisation-import:{current_tenant_id()}")


def import_token(text: str) -> str:
    """The previewed file, carried in the preview page itself: no file is kept on the server."""
    return _import_serializer().dumps(text)


def text_of_import_token(token: str) -> str:
    try:
        text = _import_serializer().loads(token, max_age=IMPORT_LIFETIME_SECONDS)
    except BadSignature:
        text = None
    if not isinstance(text, str):
        raise OperationError(_l("The preview has expired. Please upload the file again."))
    return text


# --- CSV export -------------------------------------------------------------------------

def export_rows() -> list[dict[str, str]]:
    """Every organisation, parents before their departments, as the import reads them back."""
    nodes = organisation_tree()
    count = {}
    for node in nodes:
        count[folded(node.organisation.name)] = count.get(folded(node.organisation.name), 0) + 1
    rows = []
    for node in nodes:
        organisation = node.organisation
        parent = ""
        if node.ancestors:
            direct = node.ancestors[-1]
            # A name two organisations share would be ambiguous: write the path instead.
            unique = count[folded(direct.name)] == 1
            parent = direct.name if unique else csv_files.PATH_SEPARATOR.join(a.name for a in node.ancestors)
        rows.append({
            "name": organisation.name, "kind": organisation.kind, "country": organisation.country,
            "official_code": organisation.official_code, "parent": parent,
            "head_name": organisation.head_name, "head_email": organisation.head_email,
        })
    return rows


def export_csv(delimiter: str) -> bytes:
    return csv_files.write_table(export_rows(), delimiter)
