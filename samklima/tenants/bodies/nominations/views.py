"""Nomination pages: a group's requests, asking for representatives, and the link a head answers.

Two blueprints: `nominations` lives under /<slug> like every workspace page;
`nomination_link` is the public /nominations/<token> page, whose workspace
comes from the token (a head answering has no account and no workspace).
"""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from samklima.config import LOCALE_NAMES
from samklima.extensions import db
from samklima.platform.clock import workspace_today
from samklima.platform.errors import OperationError
from samklima.platform.forms import EmptyForm
from samklima.platform.i18n import use_page_locale
from samklima.platform.inputs import parse_id
from samklima.platform.tenancy import enter_tenant, get_or_404
from samklima.platform.views import button_view, form_view, refuse_with
from samklima.tenants.bodies.nominations import operations as nominations
from samklima.tenants.bodies.nominations import queries as nomination_queries
from samklima.tenants.bodies.forms import organisation_label
from samklima.tenants.bodies.labels import KIND_LABELS, role_label
from samklima.tenants.bodies.models import Body, NominationRequest
from samklima.tenants.bodies.nominations.forms import ChooseOrganisationForm, DeclineForm, NominationForm, answer_form
from samklima.tenants.bodies.operations import can_manage_body, require_body_manager
from samklima.tenants.bodies.queries import coverage_gaps
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.organisations.queries import all_organisations

bp = Blueprint("nominations", __name__, template_folder="templates")
link_bp = Blueprint("nomination_link", __name__, template_folder="templates")


def _get_nomination(body: Body, nomination_id: int) -> NominationRequest:
    nomination = get_or_404(NominationRequest, nomination_id)
    if nomination.body_id != body.id:
        get_or_404(NominationRequest, -1)  # another group's request looks like a missing one
    return nomination


@bp.get("/bodies/<int:body_id>/nominations")
def index(body_id):
    body = get_or_404(Body, body_id)
    return render_template(
        "nominations/index.html",
        body=body,
        kind_label=KIND_LABELS[body.kind],
        requests=nomination_queries.nominations_of(body),
        can_manage=can_manage_body(g.membership, body),
        withdraw_form=EmptyForm(),
        today=workspace_today(),
    )


def _organisation_choices(body: Body) -> list[SelectChoice]:
    """Organisations the group still misses come first: those are the ones to ask."""
    gaps = coverage_gaps(workspace_today(), [body.id]).get(body.id, [])
    missing = {gap.organisation.id for gap in gaps if gap.organisation is not None}
    missing |= {gap.seat.organisation_id for gap in gaps if gap.seat is not None and gap.seat.organisation_id}
    organisations = all_organisations()
    choices = [SelectChoice("", _("Choose an organisation"))]
    if missing:
        first, rest = _("Not yet represented in this group"), _("Other organisations")
        choices += [SelectChoice(str(org.id), organisation_label(org), optgroup=first)
                    for org in organisations if org.id in missing]
        choices += [SelectChoice(str(org.id), organisation_label(org), optgroup=rest)
                    for org in organisations if org.id not in missing]
    else:
        choices += [SelectChoice(str(org.id), organisation_label(org)) for org in organisations]
    return choices


def _chosen_organisation(value) -> Organisation | None:
    organisation_id = parse_id(value)
    return db.session.get(Organisation, organisation_id) if organisation_id is not None else None


@bp.route("/bodies/<int:body_id>/nominations/new", methods=["GET", "POST"])
def new(body_id):
    body = get_or_404(Body, body_id)
    # Refuse before anything else: only who manages the group asks for representatives.
    require_body_manager(g.membership, body)
    source = request.form if request.method == "POST" else request.args
    organisation = _chosen_organisation(source.get("organisation_id"))
    if organisation is None:
        choose = ChooseOrganisationForm(_organisation_choices(body), formdata=request.args or None)
        if "organisation_id" in source:
            choose.organisation_id.errors = [_("Choose an organisation from the list.")]
        return render_template("nominations/new.html", body=body, choose=choose)

    locale = source.get("locale") or nominations.default_locale(organisation, g.tenant)
    if request.method == "POST":
        form = NominationForm()
    else:
        form = NominationForm(formdata=None, data={
            "organisation_id": str(organisation.id),
            "locale": locale,
            "recipient_name": organisation.head_name,
            "recipient_email": organisation.head_email,
            "due_date": workspace_today() + nominations.DEFAULT_ANSWER_TIME,
            "message": nominations.default_message(body, organisation, g.membership.user.name, locale),
        })

    def save():
        try:
            nominations.create_nomination(
                body, form.fields_for(nominations.NominationFields, organisation_id=organisation.id), by=g.membership)
        except OperationError as error:
            if error.field in ("organisation_id", "locale"):
                error.field = None  # chosen in step 1: shown above the form, not beside a hidden field
            raise

    def done(_result):
        flash(_("The request is on its way to %(email)s.", email=form.recipient_email.data), "success")
        return redirect(url_for("nominations.index", body_id=body.id))

    return form_view(form, save, done, "nominations/new.html", body=body, organisation=organisation,
                     language=LOCALE_NAMES.get(form.locale.data, form.locale.data))


@bp.post("/bodies/<int:body_id>/nominations/<int:nomination_id>/withdraw")
def withdraw(body_id, nomination_id):
    body = get_or_404(Body, body_id)
    nomination = _get_nomination(body, nomination_id)
    return button_view(
        lambda: nominations.withdraw_nomination(nomination, body, by=g.membership),
        lambda _result: flash(_("The request to %(organisation)s is withdrawn.", organisation=nomination.organisation.name),
                        "info"),
        url_for("nominations.index", body_id=body.id))


# --- the public link -----------------------------------------------------------------------

def _link_problem(error: nominations.NominationLinkError):
    """Answer with the page of a link that does not work, in the request's language."""
    if error.locale:
        use_page_locale(error.locale)
    refuse_with("accounts/link_problem.html", message=error.message)


def _problems(form) -> list[tuple[str | None, str]]:
    """(field id or None, text) of every error, also inside the list of representatives."""
    problems = [(None, str(message)) for message in form.form_errors]
    if "csrf_token" in form and form.csrf_token.errors:
        problems.append((None, _("The form had expired or was sent from another page. Please fill it in again.")))
    for field in form:
        if field.type == "FieldList":
            for number, entry in enumerate(field, 1):
                for sub in entry.form:
                    if sub.errors:
                        label = _("Representative %(number)d", number=number)
                        problems.append((sub.id, f"{label}, {sub.label.text}: {sub.errors[0]}"))
        elif field.errors and field.type != "CSRFTokenField":
            problems.append((field.id, f"{field.label.text}: {field.errors[0]}"))
    return problems


@link_bp.route("/nominations/<token>", methods=["GET", "POST"])
def respond(token):
    # The GET only shows the request: mail scanners open every link.
    try:
        tenant, nomination = nominations.find_by_token(token)
    except nominations.NominationLinkError as error:
        _link_problem(error)
    g.tenant_token = enter_tenant(tenant)
    use_page_locale(nomination.locale)
    declining = request.form.get("action") == "decline"
    posted = request.method == "POST"
    # Only the form that was sent reads the request; the other keeps its defaults.
    answer = answer_form(nomination.seats, formdata=request.form if posted and not declining else None,
                         data={"answered_by": nomination.recipient_name})
    decline = DeclineForm(formdata=request.form if posted and declining else None,
                          data={"declined_by": nomination.recipient_name})
    chosen = decline if declining else answer

    def save():
        try:
            if declining:
                return nominations.decline_nomination(token, decline.declined_by.data or "", decline.reason.data or "")
            return nominations.answer_nomination(token, answer.answered_by.data or "", [
                nominations.Representative(**{key: value or "" for key, value in entry.data.items()})
                for entry in answer.representatives.entries])
        except nominations.NominationLinkError as error:
            _link_problem(error)

    def done(memberships):
        if declining:
            flash(_("Thank you. The secretariat will see that you cannot appoint anyone."), "success")
        elif memberships:
            flash(ngettext("Thank you. %(names)s is now a member of %(body)s.",
                           "Thank you. %(names)s are now members of %(body)s.",
                           len(memberships), names=", ".join(m.person.name for m in memberships),
                           body=nomination.body.name), "success")
        else:
            flash(_("Thank you. The people you named are already members of %(body)s.",
                    body=nomination.body.name), "success")
        return redirect(url_for("nomination_link.thanks"))

    body = nomination.body
    chosen_name, other_name, other = ("decline", "answer", answer) if declining else ("answer", "decline", decline)
    # A refused answer answers 422: nothing of it is kept.
    return form_view(
        chosen, save, done, "nominations/respond.html", form_name=chosen_name, **{other_name: other},
        nomination=nomination, body=body, workspace=tenant, kind_label=KIND_LABELS[body.kind],
        problems=lambda: _problems(chosen) if posted else [], declining=declining,
        expires_on=nominations.expires_on(nomination), role_label=role_label)


@link_bp.get("/nominations/thanks")
def thanks():
    return render_template("nominations/thanks.html")
