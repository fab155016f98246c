"""Organisation pages: the tree, one organisation, the forms, CSV import and export.

Members and observers read; the workspace's secretariat, administrators and
owners write. A writing page refuses a reader before reading the form.
"""
from dataclasses import asdict

from babel import Locale
from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from samklima.platform import signals
from samklima.platform.errors import OperationError
from samklima.platform.permissions import has_role, require_role
from samklima.platform.tenancy import get_or_404
from samklima.platform.views import button_view, form_view, refuse_with
from samklima.tenants.organisations import csv_files, forms, operations, queries
from samklima.tenants.organisations.models import KIND_LABELS, Organisation

bp = Blueprint("organisations", __name__, template_folder="templates")


@bp.context_processor
def labels():
    return {
        "kind_labels": KIND_LABELS,
        "can_edit": has_role(g.get("membership"), "secretariat"),
        "country_names": Locale.parse(str(get_locale())).territories,
    }


def _fields(form) -> dict:
    return asdict(form.fields_for(operations.OrganisationFields))


def _require_writer() -> None:
    require_role(g.membership, "secretariat")


@bp.get("/organisations")
def index():
    return render_template("organisations/index.html", tree=queries.organisation_tree())


@bp.get("/organisations/<int:organisation_id>")
def show(organisation_id):
    organisation = get_or_404(Organisation, organisation_id)
    node = queries.node_of(queries.organisation_tree(), organisation)
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        node=node,
        panels=signals.panels(signals.organisation_panels, organisation=organisation),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
def create():
    _require_writer()
    tree = queries.organisation_tree()
    parent = request.args.get("parent", type=int)
    form = forms.OrganisationForm(
        tree, country=g.tenant.country, parent_id=parent, kind="department" if parent else "municipality"
    )

    def done(organisation):
        flash(_("%(name)s is added.", name=organisation.name), "success")
        return redirect(url_for("organisations.show", organisation_id=organisation.id))

    return form_view(form, lambda: operations.create_organisation(by=g.membership, **_fields(form)), done,
                     "organisations/form.html", organisation=None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit(organisation_id):
    _require_writer()
    organisation = get_or_404(Organisation, organisation_id)
    excluded = {organisation.id} | queries.descendant_ids(organisation.id)
    form = forms.OrganisationForm(queries.organisation_tree(), excluded_ids=excluded, obj=organisation)

    def done(_result):
        flash(_("The changes to %(name)s are saved.", name=organisation.name), "success")
        return redirect(url_for("organisations.show", organisation_id=organisation.id))

    return form_view(form, lambda: operations.update_organisation(organisation, by=g.membership, **_fields(form)),
                     done, "organisations/form.html", organisation=organisation)


def _import_page(preview, text=None) -> dict:
    token = operations.import_token(text) if preview is not None and preview.can_import else None
    return {"preview": preview, "confirm_form": forms.ConfirmImportForm(token=token, formdata=None),
            "columns": csv_files.COLUMNS}


def _render_import(form, preview, text=None):
    return render_template("organisations/import.html", form=form, **_import_page(preview, text))


@bp.route("/organisations/import", methods=["GET", "POST"])
def import_file():
    """Upload a file and see every row's problems; nothing is written here."""
    _require_writer()
    form = forms.ImportForm()

    def read():
        upload = form.file.data
        if not upload or not upload.filename:
            raise OperationError(_("Choose a CSV file."), field="file")
        return csv_files.decode_upload(upload.read(csv_files.MAX_FILE_BYTES + 1))

    def preview(text):
        found = operations.preview_import(text)
        # A file that cannot be imported is refused like a form: 422.
        return _render_import(form, found, text), 200 if found.can_import else 422

    return form_view(form, read, preview, "organisations/import.html", **_import_page(None))


@bp.post("/organisations/import/confirm")
def confirm_import():
    """Import the previewed file: every row, or none when a problem has appeared since."""
    _require_writer()
    form = forms.ConfirmImportForm()

    def save():
        text = operations.text_of_import_token(form.token.data or "")  # refused: flashed, back to the upload
        try:
            return operations.import_organisations(text, by=g.membership)
        except OperationError as error:
            # A problem that appeared since the preview: the rows again, each with its problem.
            flash(str(error.message), "error")
            refuse_with("organisations/import.html", 422, form=forms.ImportForm(formdata=None),
                        **_import_page(operations.preview_import(text)))

    def done(created):
        flash(ngettext("%(num)d organisation is imported.", "%(num)d organisations are imported.", len(created)),
              "success")
        return redirect(url_for("organisations.index"))

    return button_view(save, done, url_for("organisations.import_file"), form)


@bp.get("/organisations/export.csv")
def export():
    data = operations.export_csv(csv_files.delimiter_for(get_locale()))
    return Response(
        data,
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="organisations-{g.tenant.slug}.csv"',
        },
    )
