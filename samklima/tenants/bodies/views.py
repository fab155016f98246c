"""Group pages: the groups of a workspace, one group's page, its terms of reference,
and the forms that change groups, members, coverage, secretariats and chairs.

Thin: every rule (who may, what is valid) lives in operations. A page that only
a group's managers can use refuses others before reading the form, GET and POST.
"""
from dateutil.relativedelta import relativedelta
from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from samklima.platform import signals
from samklima.platform.clock import workspace_today
from samklima.platform.forms import EmptyForm
from samklima.platform.permissions import PermissionDenied, has_role
from samklima.platform.views import button_view, form_view
from samklima.tenants.bodies import documents, forms, operations, queries
from samklima.tenants.bodies.labels import (
    COVERAGE_RULE_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    role_heading,
    role_label,
)
from samklima.tenants.organisations.queries import all_organisations
from samklima.tenants.people.queries import all_people

bp = Blueprint("bodies", __name__, template_folder="templates")

STATUS_FILTERS = ("active", "closed", "all")


@bp.context_processor
def labels():
    return {
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "coverage_rule_labels": COVERAGE_RULE_LABELS,
        "role_label": role_label,
        "role_heading": role_heading,
    }


def _manager_of(body):
    operations.require_body_manager(g.membership, body)
    return body


# --- reading -------------------------------------------------------------------------------

@bp.get("/bodies")
def index():
    status = request.args.get("status", "active")
    if status not in STATUS_FILTERS:
        status = "active"
    day = workspace_today()
    return render_template(
        "bodies/index.html",
        nodes=queries.body_tree(day, None if status == "all" else status),
        participation=queries.participation(day),
        status=status,
        can_create=has_role(g.membership, "secretariat"),
    )


@bp.get("/bodies/<int:body_id>")
def show(body_id):
    body = queries.load_body(body_id)
    can_manage = operations.can_manage_body(g.membership, body)
    return render_template(
        "bodies/show.html",
        page=queries.body_page(body, workspace_today()),
        can_manage=can_manage,
        can_serve=has_role(g.membership, "secretariat") and body.kind == "secretariat",
        action_form=EmptyForm(),
        panels=signals.panels(signals.body_panels, body=body, membership=g.membership),
    )


@bp.get("/bodies/<int:body_id>/terms")
def terms(body_id):
    body = queries.load_body(body_id)
    return render_template("bodies/terms.html", page=queries.body_page(body, workspace_today()))


@bp.get("/bodies/<int:body_id>/terms.docx")
def terms_docx(body_id):
    body = queries.load_body(body_id)
    page = queries.body_page(body, workspace_today())
    document, filename = documents.terms_of_reference(page, g.tenant)
    return send_file(
        document,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        download_name=filename,
    )


# --- groups --------------------------------------------------------------------------------

def _to_group(body):
    return redirect(url_for("bodies.show", body_id=body.id))


@bp.route("/bodies/new", methods=["GET", "POST"])
def create():
    if not operations.manages_any(g.membership):
        raise PermissionDenied()
    parent = request.args.get("parent", type=int)
    form = forms.BodyForm(queries.all_bodies())
    if not form.is_submitted():
        form.parent_id.data = str(parent) if parent else forms.NONE
        form.kind.data = "working_group" if parent else form.kind.data

    def done(body):
        flash(_("The group %(name)s is created.", name=body.name), "success")
        return _to_group(body)

    return form_view(form, lambda: operations.create_body(form.fields_for(operations.BodyFields), by=g.membership),
                     done, "bodies/form.html", body=None)


@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
def edit(body_id):
    body = _manager_of(queries.load_body(body_id))
    form = forms.BodyForm(queries.all_bodies(), obj=None if request.method == "POST" else body, exclude_id=body.id)
    if request.method == "GET":
        form.parent_id.data = str(body.parent_id) if body.parent_id else forms.NONE
        form.reports_to_id.data = str(body.reports_to_id) if body.reports_to_id else forms.NONE

    def done(_result):
        flash(_("The changes to %(name)s are saved.", name=body.name), "success")
        return _to_group(body)

    def save():
        operations.update_body(body, form.fields_for(operations.BodyFields, coverage_rule=body.coverage_rule),
                               by=g.membership)

    return form_view(form, save, done, "bodies/form.html", body=body)


@bp.post("/bodies/<int:body_id>/status")
def set_status(body_id):
    body = _manager_of(queries.load_body(body_id))

    def done(_result):
        if body.status == "closed":
            flash(_("The group %(name)s is closed.", name=body.name), "info")
        else:
            flash(_("The group %(name)s is active again.", name=body.name), "success")

    return button_view(lambda: operations.set_status(body, request.form.get("status", ""), by=g.membership), done,
                       url_for("bodies.show", body_id=body.id))


# --- members -------------------------------------------------------------------------------

def _membership_form(body, **kwargs):
    return forms.MembershipForm(all_people(), all_organisations(), queries.seats_of(body), **kwargs)


def _membership_fields(form) -> operations.MembershipFields:
    return form.fields_for(operations.MembershipFields)


@bp.route("/bodies/<int:body_id>/members/new", methods=["GET", "POST"])
def add_member(body_id):
    body = _manager_of(queries.load_body(body_id))
    form = _membership_form(body)
    if not form.is_submitted():
        form.start_date.data = workspace_today()

    def done(membership):
        flash(_("%(name)s is added to %(group)s.", name=membership.person.name, group=body.name), "success")
        return _to_group(body)

    return form_view(form, lambda: operations.add_membership(body, _membership_fields(form), by=g.membership),
                     done, "bodies/member_form.html", body=body, body_member=None)


@bp.route("/bodies/<int:body_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
def edit_member(body_id, member_id):
    body = _manager_of(queries.load_body(body_id))
    membership = queries.membership_of(body, member_id)
    form = _membership_form(body, obj=None if request.method == "POST" else membership)
    if request.method == "GET":
        form.person_id.data = str(membership.person_id)
        form.organisation_id.data = str(membership.organisation_id) if membership.organisation_id else forms.NONE
        form.seat_id.data = str(membership.seat_id) if membership.seat_id else forms.NONE

    def done(_result):
        flash(_("The membership of %(name)s is saved.", name=membership.person.name), "success")
        return _to_group(body)

    return form_view(
        form, lambda: operations.update_membership(membership, body, _membership_fields(form), by=g.membership),
        done, "bodies/member_form.html", body=body, body_member=membership)


@bp.route("/bodies/<int:body_id>/members/<int:member_id>/end", methods=["GET", "POST"])
def end_member(body_id, member_id):
    body = _manager_of(queries.load_body(body_id))
    membership = queries.membership_of(body, member_id)
    form = forms.EndMembershipForm()
    if not form.is_submitted():
        form.end_date.data = workspace_today()

    def done(_result):
        flash(_("The term of %(name)s in %(group)s ends on %(date)s. It stays in the group's history.",
                name=membership.person.name, group=body.name, date=_format_date(membership.end_date)), "success")
        return _to_group(body)

    return form_view(form, lambda: operations.end_membership(membership, body, form.end_date.data, by=g.membership),
                     done, "bodies/end_member.html", body=body, body_member=membership)


def _format_date(day):
    from flask_babel import format_date

    return format_date(day, "long")


# --- coverage and seats ----------------------------------------------------------------------

def _coverage_page(body) -> dict:
    return {"body": body, "seats": queries.seats_of(body), "remove_form": EmptyForm()}


@bp.route("/bodies/<int:body_id>/coverage", methods=["GET", "POST"])
def coverage(body_id):
    body = _manager_of(queries.load_body(body_id))
    organisations = all_organisations()
    form = forms.CoverageForm(organisations)
    if not form.is_submitted():
        form.coverage_rule.data = body.coverage_rule
        form.organisation_ids.data = queries.member_organisation_ids(body)
    action = request.form.get("action", "save")

    def save():
        chosen = set(form.organisation_ids.data or [])
        if action == "add_municipalities":
            chosen |= queries.shortcut_organisation_ids(organisations, municipalities=True)
        elif action == "add_departments" and form.departments_of.id_value is not None:
            chosen |= queries.shortcut_organisation_ids(organisations, departments_of=form.departments_of.id_value)
        operations.set_coverage(body, form.coverage_rule.data, sorted(chosen), by=g.membership)

    def done(_result):
        flash(_("The coverage of %(group)s is saved.", group=body.name), "success")
        # A shortcut fills the list in: the page stays open to look it over.
        return redirect(url_for("bodies.coverage", body_id=body.id)) if action != "save" else _to_group(body)

    return form_view(form, save, done, "bodies/coverage.html",
                     seat_form=forms.SeatForm(organisations, formdata=None), **_coverage_page(body))


@bp.post("/bodies/<int:body_id>/seats")
def add_seat(body_id):
    body = _manager_of(queries.load_body(body_id))
    organisations = all_organisations()
    seat_form = forms.SeatForm(organisations)
    coverage_form = forms.CoverageForm(organisations, formdata=None)
    coverage_form.coverage_rule.data = body.coverage_rule
    coverage_form.organisation_ids.data = queries.member_organisation_ids(body)

    def done(seat):
        flash(_("The seat %(seat)s is added.", seat=seat.label), "success")
        return redirect(url_for("bodies.coverage", body_id=body.id))

    return form_view(
        seat_form, lambda: operations.add_seat(body, seat_form.label.data, chosen_by=seat_form.chosen_by.data or "",
                                               organisation_id=seat_form.organisation_id.id_value, by=g.membership),
        done, "bodies/coverage.html", form_name="seat_form", form=coverage_form, **_coverage_page(body))


@bp.post("/bodies/<int:body_id>/seats/<int:seat_id>/remove")
def remove_seat(body_id, seat_id):
    body = _manager_of(queries.load_body(body_id))
    seat = queries.seat_of(body, seat_id)
    label = seat.label
    return button_view(lambda: operations.remove_seat(seat, body, by=g.membership),
                       lambda _result: flash(_("The seat %(seat)s is removed.", seat=label), "info"),
                       url_for("bodies.coverage", body_id=body.id))


# --- secretariat and chair -------------------------------------------------------------------

@bp.route("/bodies/<int:secretariat_id>/serves", methods=["GET", "POST"])
def served_bodies(secretariat_id):
    secretariat = queries.load_body(secretariat_id)
    operations.require_workspace_secretariat(g.membership)
    form = forms.ServedBodiesForm([b for b in queries.all_bodies() if b.id != secretariat.id])
    if not form.is_submitted():
        form.body_ids.data = queries.served_body_ids(secretariat)

    def done(_result):
        flash(_("The groups that %(secretariat)s serves are saved.", secretariat=secretariat.name), "success")
        return _to_group(secretariat)

    return form_view(form, lambda: operations.set_served_bodies(secretariat, form.body_ids.data or [],
                                                                by=g.membership),
                     done, "bodies/served_bodies.html", body=secretariat)


@bp.route("/bodies/<int:body_id>/chair-rotation", methods=["GET", "POST"])
def chair_rotation(body_id):
    body = _manager_of(queries.load_body(body_id))
    day = workspace_today()
    if request.method == "POST" and request.form.get("action") == "stop":
        return button_view(
            lambda: operations.stop_chair_rotation(body, by=g.membership),
            lambda _result: flash(_("The chair of %(group)s no longer rotates.", group=body.name), "info"),
            url_for("bodies.show", body_id=body.id))
    form = forms.ChairRotationForm(queries.current_memberships(body, day))
    if not form.is_submitted():
        form.first_start.data = day
        form.until.data = body.end_date if body.end_date and body.end_date > day else day + relativedelta(years=2)

    def done(_result):
        flash(_("The chair of %(group)s now rotates.", group=body.name), "success")
        return _to_group(body)

    return form_view(
        form, lambda: operations.set_chair_rotation(body, form.membership_ids.data or [], form.first_start.data,
                                                    form.months.data, form.until.data, by=g.membership),
        done, "bodies/chair_rotation.html", stop_form=EmptyForm(), body=body, page=queries.body_page(body, day))
