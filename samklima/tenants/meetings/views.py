"""Meeting pages: a group's meetings and meeting plan, one meeting with its agenda,
proposals and invitees, and the personal link from an invitation.

Every workspace member reads a meeting and its open items; closed items only
who manages the group, its members and the meeting's invitees. Who manages
the group writes; the operations check it again.
"""
from dataclasses import dataclass
from datetime import time

from babel.dates import get_day_names, get_month_names
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from samklima.platform.clock import workspace_today
from samklima.platform.errors import OperationError
from samklima.platform.formatting import moment
from samklima.platform.forms import choice_list
from samklima.platform.i18n import use_page_locale
from samklima.platform.inputs import parse_id
from samklima.platform.permissions import PermissionDenied
from samklima.platform.tenancy import enter_tenant, get_or_404
from samklima.platform.views import button_view, form_view, refuse_with
from samklima.tenants.bodies.queries import load_body
from samklima.tenants.meetings import calendar, forms, operations, plan, queries
from samklima.tenants.meetings.labels import FREQUENCY_LABELS, ORDINAL_LABELS
from samklima.tenants.meetings.models import AgendaItem, MeetingInvitee

bp = Blueprint("meetings", __name__, template_folder="templates")
# The personal link of an invitation, answered without an account; its workspace comes from the token.
link_bp = Blueprint("meeting_link", __name__, template_folder="templates")


def _managed_body(body_id):
    body = load_body(body_id)
    operations.require_body_manager(g.membership, body)
    return body


def _managed_meeting(meeting_id):
    meeting = queries.load_meeting(meeting_id)
    operations.require_manager(g.membership, meeting)
    return meeting


def _to_meeting(meeting, anchor=None):
    return redirect(url_for("meetings.show", meeting_id=meeting.id, _anchor=anchor))


def _item_of(meeting, item_id):
    item = get_or_404(AgendaItem, item_id)
    if item.meeting_id != meeting.id:
        abort(404)
    return item


# --- reading -------------------------------------------------------------------------------

@bp.get("/meetings")
def index():
    return render_template("meetings/index.html", meetings=queries.coming_meetings())


@bp.get("/bodies/<int:body_id>/meetings")
def of_body(body_id):
    body = load_body(body_id)
    coming, past = queries.meetings_of(body)
    settings = operations.settings_for(body)
    cadence = operations.cadence_of(settings)
    return render_template("meetings/of_body.html", body=body, coming=coming, past=past, settings=settings,
                           cadence=cadence, names=_cadence_names(cadence) if cadence else None,
                           can_manage=operations.can_manage_body(g.membership, body),
                           frequency_labels=FREQUENCY_LABELS, ordinal_labels=ORDINAL_LABELS)


@dataclass(frozen=True)
class CadenceNames:
    weekday: str
    months: str


def _cadence_names(cadence: plan.Cadence) -> CadenceNames:
    """The weekday and the months of a cadence in the reader's language (Babel's names)."""
    locale = get_locale()
    days, months = get_day_names("wide", locale=locale), get_month_names("wide", locale=locale)
    return CadenceNames(days[cadence.weekday], ", ".join(months[month] for month in cadence.months))


@bp.get("/meetings/<int:meeting_id>")
def show(meeting_id):
    meeting = queries.load_meeting(meeting_id)
    can_manage = operations.can_manage(g.membership, meeting)
    own = operations.own_invitee(meeting, g.membership)
    page = queries.meeting_page(meeting, with_closed=operations.sees_closed_items(g.membership, meeting, own))
    answer = forms.AnswerForm(formdata=None, data={"rsvp": own.rsvp if own else None},
                              can_send_substitute=own is not None and own.kind == "member")
    return render_template(
        "meetings/show.html", page=page, meeting=meeting, can_manage=can_manage, own=own,
        can_propose=operations.can_propose(g.membership, meeting), answer_form=answer, today=workspace_today(),
    )


@bp.get("/meetings/<int:meeting_id>/meeting.ics")
def ics(meeting_id):
    meeting = queries.load_meeting(meeting_id)
    data = calendar.calendar_of([operations.event_of(meeting, g.tenant)], method="PUBLISH")
    return Response(data, mimetype="text/calendar", headers={
        "Content-Type": calendar.content_type("PUBLISH"),
        "Content-Disposition": f'attachment; filename="meeting-{meeting.id}.ics"',
    })


# --- the group's meeting plan ---------------------------------------------------------------

def _cadence(form) -> plan.Cadence:
    def number(field, default):
        try:
            return int(field.data)
        except (TypeError, ValueError):
            return default

    return plan.Cadence(
        frequency=form.frequency.data or "monthly", interval=form.interval.data or 0,
        weekday=number(form.weekday, -99), ordinal=number(form.ordinal, 0) if form.frequency.data == "monthly" else None,
        months=tuple(sorted(form.months.data or ())), start_time=form.start_time.data or time(9, 0),
        duration_minutes=form.duration_minutes.data or 0,
    )


@bp.route("/bodies/<int:body_id>/meetings/settings", methods=["GET", "POST"])
def settings(body_id):
    body = _managed_body(body_id)
    current = operations.settings_for(body)
    cadence = operations.cadence_of(current) or plan.Cadence(frequency="monthly")
    form = forms.SettingsForm(data={
        "frequency": cadence.frequency, "interval": cadence.interval, "weekday": str(cadence.weekday),
        "ordinal": str(cadence.ordinal or 2), "months": list(cadence.months), "start_time": current.start_time,
        "duration_minutes": current.duration_minutes, "place": current.place, "video_url": current.video_url,
        "proposal_days_before": current.proposal_days_before, "publish_days_before": current.publish_days_before,
        "absence_threshold": current.absence_threshold, "standing_items": current.standing(),
    })

    def save():
        return operations.save_settings(body, operations.SettingsFields(
            cadence=_cadence(form), place=form.place.data or "", video_url=form.video_url.data or "",
            publish_days_before=form.publish_days_before.data, proposal_days_before=form.proposal_days_before.data,
            absence_threshold=form.absence_threshold.data, standing_items=tuple(form.standing_items.data or ()),
        ), by=g.membership)

    def done(_settings):
        flash(_("The meeting plan of %(group)s is saved.", group=body.name), "success")
        return redirect(url_for("meetings.of_body", body_id=body.id))

    return form_view(form, save, done, "meetings/settings.html", body=body)


@bp.route("/bodies/<int:body_id>/meetings/plan", methods=["GET", "POST"])
def plan_period(body_id):
    body = _managed_body(body_id)
    today = workspace_today()
    form = forms.PlanForm(data={"first_day": today, "last_day": today.replace(month=12, day=31)
                                if today.month < 7 else today.replace(year=today.year + 1, month=6, day=30)})
    creating = request.form.get("action") == "create"
    language = str(get_locale())

    def save():
        if creating:
            return operations.create_planned(body, form.first_day.data, form.last_day.data, by=g.membership,
                                             language=language)
        return operations.propose_plan(body, form.first_day.data, form.last_day.data, by=g.membership,
                                       language=language)

    def done(result):
        if creating:
            flash(ngettext("%(num)d meeting is planned.", "%(num)d meetings are planned.", len(result)), "success")
            return redirect(url_for("meetings.of_body", body_id=body.id))
        return render_template("meetings/plan.html", body=body, form=form, proposal=result)

    return form_view(form, save, done, "meetings/plan.html", body=body, proposal=None,
                     has_cadence=operations.cadence_of(operations.settings_for(body)) is not None)


# --- one meeting ------------------------------------------------------------------------------

@bp.route("/bodies/<int:body_id>/meetings/new", methods=["GET", "POST"])
def create(body_id):
    body = _managed_body(body_id)
    proposed = operations.new_meeting_fields(body, workspace_today())
    form = forms.MeetingForm(data=vars(proposed))

    def done(meeting):
        flash(_("The meeting is planned."), "success")
        return _to_meeting(meeting)

    return form_view(form, lambda: operations.create_meeting(body, form.fields_for(operations.MeetingFields),
                                                             by=g.membership),
                     done, "meetings/form.html", body=body, meeting=None)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id):
    meeting = _managed_meeting(meeting_id)
    form = forms.MeetingForm(data=vars(operations.fields_of(meeting)))

    def done(told):
        flash(_("The meeting is changed. Every invitee has been sent the change for their calendar.") if told
              else _("The meeting is changed."), "success")
        return _to_meeting(meeting)

    return form_view(form, lambda: operations.update_meeting(meeting, form.fields_for(operations.MeetingFields),
                                                             by=g.membership),
                     done, "meetings/form.html", body=meeting.body, meeting=meeting)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(meeting_id):
    meeting = _managed_meeting(meeting_id)
    form = forms.CancelForm()

    def done(_result):
        flash(_("The meeting is cancelled."), "success")
        return _to_meeting(meeting)

    return form_view(form, lambda: operations.cancel_meeting(meeting, form.reason.data or "", by=g.membership),
                     done, "meetings/cancel.html", meeting=meeting)


@bp.route("/meetings/<int:meeting_id>/delete", methods=["GET", "POST"])
def delete(meeting_id):
    meeting = _managed_meeting(meeting_id)
    body = meeting.body
    form = forms.DeleteForm()

    def done(_result):
        flash(_("The meeting is deleted."), "success")
        return redirect(url_for("meetings.of_body", body_id=body.id))

    return form_view(form, lambda: operations.delete_meeting(meeting, by=g.membership,
                                                             records_kept=bool(form.records_kept.data)),
                     done, "meetings/delete.html", meeting=meeting)


@bp.post("/meetings/<int:meeting_id>/publish")
def publish(meeting_id):
    meeting = _managed_meeting(meeting_id)

    def done(published):
        flash(ngettext("The agenda is sent to %(num)d invitee.", "The agenda is sent to %(num)d invitees.",
                       published.sent), "success")
        if published.without_address:
            flash(_("No e-mail address, so no agenda: %(names)s.", names=", ".join(published.without_address)),
                  "error")

    return button_view(lambda: operations.publish_agenda(meeting, by=g.membership), done,
                       url_for("meetings.show", meeting_id=meeting.id))


@bp.post("/meetings/<int:meeting_id>/announce")
def announce(meeting_id):
    meeting = _managed_meeting(meeting_id)

    def done(sent):
        flash(ngettext("The changes are sent to %(num)d invitee.", "The changes are sent to %(num)d invitees.", sent),
              "success")

    return button_view(lambda: operations.announce_changes(meeting, by=g.membership), done,
                       url_for("meetings.show", meeting_id=meeting.id))


# --- agenda items -----------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/items/new", methods=["GET", "POST"])
def propose(meeting_id):
    meeting = queries.load_meeting(meeting_id)
    if not operations.can_propose(g.membership, meeting):
        raise PermissionDenied()
    managing = operations.can_manage(g.membership, meeting)
    form = forms.ItemForm()

    def done(item):
        flash(_("The item is on the agenda.") if managing else
              _("Your proposal is sent. The chair or the secretariat decides whether it goes on the agenda, "
                "and you will be told."), "success")
        return _to_meeting(meeting, f"item-{item.id}")

    return form_view(form, lambda: operations.propose_item(meeting, form.fields_for(operations.ItemFields),
                                                           by=g.membership),
                     done, "meetings/item_form.html", meeting=meeting, item=None, managing=managing, today=workspace_today())


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(meeting_id, item_id):
    meeting = queries.load_meeting(meeting_id)
    item = _item_of(meeting, item_id)
    managing = operations.can_manage(g.membership, meeting)
    if not managing and not (item.status == "proposed" and item.proposed_by_id == g.membership.user_id):
        raise PermissionDenied()
    form = forms.ItemForm(obj=item)

    def done(_result):
        flash(_("The item is saved."), "success")
        return _to_meeting(meeting, f"item-{item.id}")

    return form_view(form, lambda: operations.update_item(item, meeting, form.fields_for(operations.ItemFields),
                                                          by=g.membership),
                     done, "meetings/item_form.html", meeting=meeting, item=item, managing=managing, today=workspace_today())


def _item_button(meeting_id, item_id, act, message):
    meeting = _managed_meeting(meeting_id)
    item = _item_of(meeting, item_id)
    return button_view(lambda: act(item, meeting), lambda _result: flash(message, "success"),
                       url_for("meetings.show", meeting_id=meeting.id, _anchor="agenda"))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/accept")
def accept_item(meeting_id, item_id):
    return _item_button(meeting_id, item_id, lambda item, meeting: operations.accept_item(item, meeting, by=g.membership),
                        _("The proposal is on the agenda. The proposer has been told."))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/up")
def move_up(meeting_id, item_id):
    return _item_button(meeting_id, item_id,
                        lambda item, meeting: operations.move_item(item, meeting, -1, by=g.membership),
                        _("The item is moved up."))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/down")
def move_down(meeting_id, item_id):
    return _item_button(meeting_id, item_id,
                        lambda item, meeting: operations.move_item(item, meeting, 1, by=g.membership),
                        _("The item is moved down."))


@bp.post("/meetings/<int:meeting_id>/items/<int:item_id>/remove")
def remove_item(meeting_id, item_id):
    return _item_button(meeting_id, item_id,
                        lambda item, meeting: operations.remove_item(item, meeting, by=g.membership),
                        _("The item is removed from the agenda."))


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/defer", methods=["GET", "POST"])
def defer_item(meeting_id, item_id):
    meeting = _managed_meeting(meeting_id)
    item = _item_of(meeting, item_id)
    page = queries.meeting_page(meeting, with_closed=True)
    form = forms.DeferForm()
    form.meeting_id.choices = choice_list([("", _("Choose a meeting"))] + [
        (str(later.id), f"{later.title}, {moment(later.starts_at, 'medium')}") for later in page.later_meetings])

    def done(_moved):
        flash(_("The proposal is moved to the later meeting. The proposer has been told."), "success")
        return _to_meeting(meeting, "agenda")

    return form_view(form, lambda: operations.defer_item(item, meeting, form.meeting_id.id_value, by=g.membership),
                     done, "meetings/defer.html", meeting=meeting, item=item)


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/reject", methods=["GET", "POST"])
def reject_item(meeting_id, item_id):
    meeting = _managed_meeting(meeting_id)
    item = _item_of(meeting, item_id)
    form = forms.RejectForm()

    def done(_result):
        flash(_("The proposal is not taken. The proposer has been told why."), "success")
        return _to_meeting(meeting, "agenda")

    return form_view(form, lambda: operations.reject_item(item, meeting, form.reason.data or "", by=g.membership),
                     done, "meetings/reject.html", meeting=meeting, item=item)


# --- invitees -----------------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/guests", methods=["GET", "POST"])
def add_guest(meeting_id):
    meeting = _managed_meeting(meeting_id)
    form = forms.GuestForm(data={"locale": g.tenant.default_locale})

    def done(guest):
        flash(_("%(name)s is invited.", name=guest.name) if not meeting.is_published else
              _("%(name)s is invited and has been sent the agenda.", name=guest.name), "success")
        return _to_meeting(meeting, "invitees")

    return form_view(form, lambda: operations.add_guest(meeting, form.fields_for(operations.GuestFields),
                                                        by=g.membership),
                     done, "meetings/guest_form.html", meeting=meeting)


@bp.post("/meetings/<int:meeting_id>/invitees/<int:invitee_id>/remove")
def remove_guest(meeting_id, invitee_id):
    meeting = _managed_meeting(meeting_id)
    invitee = get_or_404(MeetingInvitee, invitee_id)
    return button_view(lambda: operations.remove_guest(invitee, meeting, by=g.membership),
                       lambda _result: flash(_("The guest is removed."), "success"),
                       url_for("meetings.show", meeting_id=meeting.id, _anchor="invitees"))


def _answer(form) -> operations.Answer:
    return operations.Answer(rsvp=form.rsvp.data or "", substitute_name=form.substitute_name.data or "",
                             substitute_email=form.substitute_email.data or "")


ANSWERED = {
    "attending": lambda: _("Thank you. You are registered as attending."),
    "not_attending": lambda: _("Thank you. You are registered as not attending."),
    "substitute": lambda: _("Thank you. Your substitute has been sent the papers."),
}


@bp.post("/meetings/<int:meeting_id>/answer")
def answer(meeting_id):
    meeting = queries.load_meeting(meeting_id)
    own = operations.own_invitee(meeting, g.membership)
    form = forms.AnswerForm(can_send_substitute=own is not None and own.kind == "member")

    def done(_substitute):
        flash(ANSWERED[form.rsvp.data](), "success")
        return _to_meeting(meeting, "answer")

    return form_view(form, lambda: operations.answer_own_invitation(meeting, _answer(form), by=g.membership), done,
                     "meetings/answer.html", meeting=meeting, invitee=own,
                     form_name="answer_form", link=None)


# --- the personal link ----------------------------------------------------------------------------

@link_bp.route("/meetings/answer/<token>", methods=["GET", "POST"])
def respond(token):
    # The GET only shows the invitation: mail scanners open every link.
    try:
        tenant, invitee = operations.find_by_token(token)
    except operations.MeetingLinkError as error:
        refuse_with("accounts/link_problem.html", message=error.message)
    g.tenant_token = enter_tenant(tenant)
    meeting = operations.meeting_of(invitee)
    use_page_locale(operations.locale_of(invitee, tenant))
    if not operations.still_invited(invitee, meeting):
        # A member who has left the group: neither the agenda nor its closed items any more.
        refuse_with("accounts/link_problem.html", message=operations.LEFT_THE_GROUP)
    form = forms.AnswerForm(data={"rsvp": invitee.rsvp if invitee.rsvp != "no_answer" else None},
                            can_send_substitute=invitee.kind == "member")

    def save():
        try:
            return operations.answer_invitation(invitee, _answer(form), tenant)
        except operations.MeetingLinkError as error:
            refuse_with("accounts/link_problem.html", message=error.message)

    def done(_substitute):
        flash(ANSWERED[form.rsvp.data](), "success")
        return redirect(url_for("meeting_link.respond", token=token))

    items = operations.timed(meeting, operations.agenda_of(meeting)) if meeting.is_published else []
    return form_view(form, save, done, "meetings/answer.html", form_name="answer_form", meeting=meeting,
                     invitee=invitee, workspace=tenant, agenda=items,
                     link=url_for("meeting_link.respond", token=token))


# --- attendance ----------------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
def attendance(meeting_id):
    """One keyboard-friendly sheet: a group of three radio buttons per person."""
    meeting = _managed_meeting(meeting_id)
    try:
        invitees = operations.attendance_sheet(meeting, by=g.membership)
    except OperationError as error:
        flash(str(error.message), "error")
        return _to_meeting(meeting)
    form = forms.attendance_form(invitees, operations.suggested_attendance)
    people = {invitee.id: invitee for invitee in invitees}

    def save():
        return operations.record_attendance(meeting, [
            (parse_id(row.invitee.data or ""), row.mark.data or "") for row in form.rows], by=g.membership)

    def done(_count):
        flash(_("The attendance is saved."), "success")
        return _to_meeting(meeting, "invitees")

    return form_view(form, save, done, "meetings/attendance.html", meeting=meeting, people=people,
                     parse_id=parse_id)
