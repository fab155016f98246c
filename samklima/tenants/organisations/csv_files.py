"""Reading and writing organisation lists as CSV, the way Nordic offices have them.

Excel saves "CSV UTF-8" with a byte order mark, plain "CSV" in Windows-1252,
and separates columns with a semicolon wherever the decimal separator is a
comma (all the Nordic countries). Both encodings and both separators are read;
files are written in UTF-8 with a byte order mark, so Excel shows æ, ø, å, ä, ö.
"""
from __future__ import annotations

import codecs
import csv
import io
import re

from babel import Locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from samklima.platform.errors import OperationError
from samklima.tenants.organisations.models import KIND_LABELS, ORGANISATION_KINDS

COLUMNS = ("name", "kind", "country", "official_code", "parent", "head_name", "head_email")
REQUIRED_COLUMNS = ("name", "kind", "country")
MAX_FILE_BYTES = 1024 * 1024
# A parent whose name two organisations share is written as its path from the top.
PATH_SEPARATOR = " > "

# The words a spreadsheet may use for each kind: English and the Nordic languages
# (GLOSSARY), and the levels of a Norwegian municipality (Bærum: direktørområde,
# kommunalsjefsområde, enhet).
KIND_WORDS = {
    "municipality": [
        "municipality", "kommune", "kommun", "kunta", "kaupunki", "sveitarfélag", "stad", "bykommune",
    ],
    "region": ["region", "fylkeskommune", "fylke", "maakunta", "landshluti", "regionkommune"],
    "department": [
        "department", "administration", "forvaltning", "förvaltning", "tjenesteområde", "tenesteområde",
        "toimiala", "svið", "afdeling", "avdeling", "avdelning", "magistratsafdeling", "direktørområde",
        "kommunalsjefsområde", "enhet", "enhed",
    ],
    "national_body": ["national body", "myndighed", "myndighet", "virasto", "stofnun", "styrelse"],
    "company": ["company", "selskab", "bolag", "aktiebolag", "selskap", "yhtiö", "fyrirtæki"],
    "other": ["other", "anden", "andet", "annan", "annat", "annen", "anna", "muu", "annað"],
}
KIND_EXAMPLES = ("municipality", "region", "department", "national body", "company", "other",
                 "kommune", "kommun", "kunta", "fylkeskommune", "forvaltning", "förvaltning", "tjenesteområde")

COUNTRY_WORDS = {
    "DK": ["dk", "denmark", "danmark", "tanska", "danmörk"],
    "SE": ["se", "sweden", "sverige", "ruotsi", "svíþjóð"],
    "NO": ["no", "norway", "norge", "noreg", "norja", "noregur"],
    "FI": ["fi", "finland", "suomi", "finnland"],
    "IS": ["is", "iceland", "island", "ísland", "islanti"],
}

# A cell Excel would run as a formula (CSV injection) is written with a leading
# apostrophe, which Excel hides; reading takes the apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _word(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def kind_from_text(text: str) -> str | None:
    word = _word(text)
    for kind in ORGANISATION_KINDS:
        if word in KIND_WORDS[kind] or word == _word(str(KIND_LABELS[kind])):
            return kind
    return None


def country_from_text(text: str) -> str | None:
    word = _word(text)
    return next((code for code, words in COUNTRY_WORDS.items() if word in words), None)


def unreadable() -> OperationError:
    return OperationError(_l(
        "The file could not be read: it is not a CSV file in UTF-8 or Windows-1252. "
        "In Excel, save it as “CSV UTF-8” and upload it again."
    ), field="file")


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if not data.strip():
        raise OperationError(_l("The file is empty."), field="file")
    if len(data) > MAX_FILE_BYTES:
        raise OperationError(_l("The file is larger than 1 MB. Split it into smaller files."), field="file")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise OperationError(_l(
            "This is an Excel workbook, not a CSV file. In Excel, save it as “CSV UTF-8” and upload that file."
        ), field="file")
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        # Text that is valid UTF-8 almost never came from Windows-1252 with Nordic
        # letters in it, so UTF-8 is tried first.
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise unreadable()


def _delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# Excel writes and reads a first line "sep=;" that names the separator.
SEP_LINE = re.compile(r"\s*sep=([;,\t|])[ \t]*\r?\n")


def _header_name(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lstrip("\ufeff").casefold())


def _cell(value: str) -> str:
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        value = value[1:]
    return value


def read_table(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]], list]:
    """(header, [(row number, values)], file problems); blank rows are skipped."""
    body = text.lstrip("\ufeff")
    sep_line = SEP_LINE.match(body)
    if sep_line:
        delimiter, body = sep_line.group(1), body[sep_line.end():]
    else:
        delimiter = _delimiter(body)
    try:
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))
    except csv.Error:
        raise unreadable() from None
    blank = 0
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
        blank += 1
    if not rows:
        return [], [], [_l("The file is empty.")]
    header = [_header_name(cell) for cell in rows[0]]
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(lazy_ngettext(
            "The file has no column %(columns)s. The first row must name the columns: %(expected)s.",
            "The file has no columns %(columns)s. The first row must name the columns: %(expected)s.",
            len(missing), columns=", ".join(missing), expected=", ".join(COLUMNS),
        ))
    twice = sorted({column for column in header if column in COLUMNS and header.count(column) > 1})
    if twice:
        problems.append(_l("The column %(column)s appears more than once.", column=", ".join(twice)))
    if problems:
        return header, [], problems
    positions = {column: header.index(column) for column in COLUMNS if column in header}
    records = []
    # Numbered as the spreadsheet shows them: the header row is row 1 (after any blank rows).
    for number, cells in enumerate(rows[1:], start=blank + 2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            column: _cell(cells[positions[column]]) if column in positions and positions[column] < len(cells) else ""
            for column in COLUMNS
        }
        records.append((number, values))
    return header, records, []


def _safe(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def write_table(rows: list[dict[str, str]], delimiter: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_safe(row[column]) for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def delimiter_for(locale) -> str:
    """Excel's list separator: a semicolon where the decimal separator is a comma."""
    decimal = Locale.parse(str(locale)).number_symbols.get("latn", {}).get("decimal", ".")
    return ";" if decimal == "," else ","
