"""A group's terms of reference as a Word document (python-docx), in the workspace's language.

The document is the workspace's own paper (a kommissorium is filed and sent on),
so it speaks the workspace's language whoever downloads it.
"""
from __future__ import annotations

import re
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import pgettext

from samklima.platform.i18n import speaking
from samklima.tenants.bodies.labels import KIND_LABELS, role_label
from samklima.tenants.bodies.queries import BodyPage

# Word's spell checker and screen readers read the language from each run's w:lang.
WORD_LANGUAGES = {"en": "en-GB", "da": "da-DK", "sv": "sv-SE", "nb": "nb-NO", "nn": "nn-NO", "fi": "fi-FI", "is": "is-IS"}


def terms_title(body) -> str:
    return _("Terms of reference: %(name)s", name=body.name)


def terms_of_reference(page: BodyPage, tenant) -> tuple[BytesIO, str]:
    """The .docx file and its download name."""
    locale = tenant.default_locale
    with speaking(locale):
        document = _build(page, locale)
        filename = re.sub(r'[\\/:*?"<>|]+', " ", terms_title(page.body)).strip() + ".docx"
    stream = BytesIO()
    document.save(stream)
    stream.seek(0)
    return stream, re.sub(r"\s+", " ", filename)


def _build(page: BodyPage, locale: str) -> Document:
    body = page.body
    document = Document()
    _set_language(document, WORD_LANGUAGES.get(locale, locale))
    properties = document.core_properties
    properties.title = terms_title(body)
    properties.subject = str(KIND_LABELS[body.kind])
    properties.language = WORD_LANGUAGES.get(locale, locale)

    document.add_heading(terms_title(body), level=0)
    facts = [(_("Kind"), str(KIND_LABELS[body.kind]))]
    if body.parent is not None:
        facts.append((_("Part of"), body.parent.name))
    if body.reports_to is not None:
        facts.append((_("Reports to"), body.reports_to.name))
    if body.start_date:
        facts.append((_("Start date"), format_date(body.start_date, "long")))
    if body.end_date:
        facts.append((_("End date"), format_date(body.end_date, "long")))
    if body.meeting_cadence:
        facts.append((_("Meeting cadence"), body.meeting_cadence))
    if body.case_number:
        facts.append((_("Case number"), body.case_number))
    if page.served_by:
        facts.append((_("Secretariat"), ", ".join(s.body.name for s in page.served_by)))
    table = document.add_table(rows=0, cols=2)
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value

    for heading, text in ((_("Purpose"), body.purpose), (_("Tasks"), body.tasks), (pgettext("terms of reference", "Mandate"), body.mandate)):
        if text.strip():
            document.add_heading(heading, level=1)
            for paragraph in re.split(r"\n\s*\n", text.strip()):
                document.add_paragraph(paragraph.strip())

    members = page.current_members
    if members:
        document.add_heading(pgettext("group members", "Members"), level=1)
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, (_("Name"), _("Organisation represented"), _("Role in the group"))):
            cell.paragraphs[0].add_run(label).bold = True
        for membership in members:
            cells = table.add_row().cells
            cells[0].text = membership.person.name
            cells[1].text = membership.organisation.name if membership.organisation else ""
            cells[2].text = str(role_label(membership.role, body.kind))
    if page.sub_groups:
        document.add_heading(_("Sub-groups"), level=1)
        for sub_group in page.sub_groups:
            document.add_paragraph(sub_group.name, style="List Bullet")
    return document


def _set_language(document, language: str) -> None:
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    run_properties = style.element.get_or_add_rPr()
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = run_properties.makeelement(qn("w:lang"), {})
        run_properties.append(lang)
    lang.set(qn("w:val"), language)
