"""Nomination requests: a group asks the head of an organisation to appoint representatives.

Seeds 000 and 002: the head of each department names a representative "with a
clear mandate", by a date. The group's managers send the request by e-mail
with a one-time link; the head opens it without an account and names the
representatives, or declines with a reason. Named representatives become
people of the workspace and members of the group.

The rules, all here:
- Only who manages the group (bodies.operations.require_body_manager) sends or
  withdraws a request; a group that is closed asks no one.
- The link is "<workspace id>-<secret>". Only the secret's hash is stored and
  compared in constant time. The secret is derived from SECRET_KEY and the
  request (tokens.keyed_secret), so the reminder repeats the very same link.
- Opening the link (GET) changes nothing: mail scanners open every link. The
  form on that page acts, once: answered, declined or withdrawn means used.
- The link works until GRACE_PERIOD after the due date: a director back from a
  holiday can still answer a few days late. After that it has expired.
- A request is overdue while it is still "sent" after its due date.
- One reminder, at most REMINDER_DAYS days before the due date, never on the
  day the request went out and never after the due date; the worker's
  scheduled job sends it (flask outbox work, flask jobs run).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_babel import LazyString, ngettext
from sqlalchemy import select, update

from samklima.config import LOCALES
from samklima.extensions import db
from samklima.platform import rules
from samklima.platform.accounts.models import User
from samklima.platform.audit.operations import record
from samklima.platform.clock import utcnow, workspace_today
from samklima.platform.errors import OperationError
from samklima.platform.i18n import speaking
from samklima.platform.links import mail_url
from samklima.platform.outbox.operations import queue_mail
from samklima.platform.tenancy import tenant_scope
from samklima.platform.tokens import hash_secret, keyed_secret, row_for_link, tenant_token
from samklima.platform.workspaces.models import Tenant
from samklima.platform.workspaces.operations import COUNTRY_DEFAULTS
from samklima.tenants.bodies.models import Body, BodyMembership, NominationRequest
from samklima.tenants.bodies.operations import MembershipFields, place_member, require_body_manager
from samklima.tenants.bodies.queries import active_on
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.operations import add_person
from samklima.tenants.people.queries import find_by_email

GRACE_PERIOD = timedelta(days=14)
# What the form proposes as the due date.
DEFAULT_ANSWER_TIME = timedelta(days=14)
REMINDER_DAYS = 3
# A request sent today with a due date in two days gets its reminder tomorrow, not today.
REMINDER_NOT_BEFORE = timedelta(days=1)
MAX_SEATS = 10
MAX_MESSAGE = 10000
LONGEST_DUE = timedelta(days=366)
REPRESENTATIVE_ROLES = ("member", "substitute")

AUDIT_LABELS = {
    "nomination_sent": _l("Nomination request sent"),
    "nomination_withdrawn": _l("Nomination request withdrawn"),
    "nomination_answered": _l("Nomination request answered"),
    "nomination_declined": _l("Nomination request declined"),
    "nomination_reminded": _l("Nomination reminder sent"),
}


def default_locale(organisation: Organisation, tenant: Tenant) -> str:
    """The language of the organisation's country, else the workspace's."""
    return COUNTRY_DEFAULTS.get(organisation.country, (tenant.default_locale,))[0]


def default_message(body: Body, organisation: Organisation, sender_name: str, locale: str) -> str:
    """The editable text of a request, in the recipient's language (seeds 000 and 002)."""
    with speaking(locale if locale in LOCALES else "en"):
        return render_template(
            "nominations/default_message.txt", body=body, organisation=organisation, sender_name=sender_name
        ).strip() + "\n"


def expires_on(nomination: NominationRequest) -> date:
    """The last day the link works."""
    return nomination.due_date + GRACE_PERIOD


def is_expired(nomination: NominationRequest, today: date) -> bool:
    return today > expires_on(nomination)


# --- sending ---------------------------------------------------------------------------

@dataclass
class NominationFields:
    organisation_id: int | None
    recipient_email: str
    due_date: date | None
    locale: str
    message: str
    recipient_name: str = ""
    seats: int | None = 1

    def check(self, body: Body, today: date) -> Organisation:
        if body.status != "active":
            raise OperationError(_l("This group is closed. Open it again before asking for representatives."))
        organisation = None
        if self.organisation_id is not None:
            organisation = db.session.scalar(select(Organisation).where(Organisation.id == self.organisation_id))
        if organisation is None:
            raise OperationError(_l("Choose an organisation from the list."), field="organisation_id")
        rules.email_address(self.recipient_email, "recipient_email")
        if self.seats is None or not 1 <= self.seats <= MAX_SEATS:
            raise OperationError(
                _l("Ask for between 1 and %(max)d representatives.", max=MAX_SEATS), field="seats")
        rules.require(self.due_date, "due_date")
        if self.due_date <= today:
            raise OperationError(_l("Choose a due date after today."), field="due_date")
        if self.due_date > today + LONGEST_DUE:
            raise OperationError(_l("Choose a due date within a year."), field="due_date")
        if self.locale not in LOCALES:
            raise OperationError(_l("Choose a language from the list."), field="locale")
        rules.require(self.message, "message")
        rules.at_most(self.message, MAX_MESSAGE, "message")
        waiting = db.session.scalar(select(NominationRequest.id).where(
            NominationRequest.body_id == body.id,
            NominationRequest.organisation_id == organisation.id,
            NominationRequest.status == "sent",
        ))
        if waiting is not None:
            raise OperationError(
                _l("%(organisation)s already has an open request for this group. Withdraw it first to send a new one.",
                   organisation=organisation.name),
                field="organisation_id",
            )
        return organisation


def _secret(nomination: NominationRequest) -> str:
    return keyed_secret("nomination", nomination.tenant_id, nomination.id, nomination.sent_at.isoformat())


def link_for(nomination: NominationRequest) -> str:
    token = tenant_token(nomination.tenant_id, _secret(nomination))
    return mail_url("nomination_link.respond", token=token)


def issue_token(nomination: NominationRequest) -> None:
    """Store the hash of the request's link; the row needs its id and sent_at first."""
    nomination.token_hash = hash_secret(_secret(nomination))


def create_nomination(body: Body, fields: NominationFields, *, by) -> NominationRequest:
    require_body_manager(by, body)
    tenant = by.tenant
    organisation = fields.check(body, workspace_today())
    nomination = NominationRequest(
        body_id=body.id,
        organisation_id=organisation.id,
        recipient_name=fields.recipient_name.strip(),
        recipient_email=fields.recipient_email.strip().lower(),
        locale=fields.locale,
        seats=fields.seats,
        message=fields.message.replace("\r\n", "\n").strip(),
        due_date=fields.due_date,
        created_by_id=by.user_id,
        # Whole seconds: the link is derived from it, and must come out the same after a round trip.
        sent_at=utcnow().replace(microsecond=0),
    )
    send_request(nomination, tenant)
    record("nomination_sent", actor=by.user, subject=f"{organisation.name}: {body.name}",
           recipient=nomination.recipient_email)
    return nomination


def send_request(nomination: NominationRequest, tenant: Tenant) -> None:
    """Write the request and queue its e-mail (no rules: create_nomination checks them)."""
    # A unique stand-in until the id is known; the secret is derived from the id.
    nomination.token_hash = hash_secret(f"pending-{utcnow().isoformat()}-{id(nomination)}")
    db.session.add(nomination)
    db.session.flush()
    issue_token(nomination)
    _queue(nomination, tenant, "request")
    db.session.flush()


def _queue(nomination: NominationRequest, tenant: Tenant, kind: str) -> None:
    body = db.session.scalar(select(Body).where(Body.id == nomination.body_id))
    organisation = db.session.scalar(select(Organisation).where(Organisation.id == nomination.organisation_id))
    sender = db.session.get(User, nomination.created_by_id) if nomination.created_by_id else None
    # Translated when queue_mail renders it in the recipient's language. A lambda around
    # ngettext, not lazy_ngettext: `pybabel extract` only sees the first.
    seats, name = nomination.seats, body.name
    if kind == "request":
        subject = LazyString(lambda: ngettext(
            "Please appoint %(num)d representative to %(body)s",
            "Please appoint %(num)d representatives to %(body)s", seats, body=name))
    else:
        subject = LazyString(lambda: ngettext(
            "Reminder: please appoint %(num)d representative to %(body)s",
            "Reminder: please appoint %(num)d representatives to %(body)s", seats, body=name))
    queue_mail(
        nomination.recipient_email,
        f"nominations/email/{kind}",
        nomination.locale,
        subject,
        tenant_id=tenant.id,
        carries_secret=True,
        nomination=nomination,
        body=body,
        organisation=organisation,
        workspace=tenant,
        sender_name=sender.name if sender is not None else "",
        link=link_for(nomination),
        expires_on=expires_on(nomination),
    )


def withdraw_nomination(nomination: NominationRequest, body: Body, *, by) -> None:
    require_body_manager(by, body)
    if nomination.body_id != body.id:
        raise OperationError(_l("This request belongs to another group."))
    if nomination.status != "sent":
        raise OperationError(_l("Only a request that is waiting for an answer can be withdrawn."))
    nomination.status = "withdrawn"
    record("nomination_withdrawn", actor=by.user,
           subject=f"{nomination.organisation.name}: {body.name}")


# --- the link ---------------------------------------------------------------------------

class NominationLinkError(OperationError):
    """A link that does not work; `locale` is the request's language when it is known."""

    def __init__(self, message, locale: str | None = None):
        super().__init__(message)
        self.locale = locale


def find_by_token(token: str) -> tuple[Tenant, NominationRequest]:
    """The open request a link names. Reads only; its workspace comes from the token."""
    tenant, nomination = row_for_link(token, NominationRequest.token_hash, NominationLinkError(
        _l("This link is not valid. Ask the secretariat that sent it for a new one.")))
    with tenant_scope(tenant):
        _check_open(nomination, tenant)
    return tenant, nomination


def _check_open(nomination: NominationRequest, tenant: Tenant) -> None:
    locale = nomination.locale
    if nomination.status in ("answered", "declined"):
        raise NominationLinkError(
            _l("This request has already been answered. If something has changed, write to the secretariat."),
            locale)
    if nomination.status == "withdrawn":
        raise NominationLinkError(_l("This request has been withdrawn. You do not need to do anything."), locale)
    if is_expired(nomination, workspace_today()):
        raise NominationLinkError(
            _l("This link has expired. Ask the secretariat that sent it for a new one."), locale)


def _close(nomination: NominationRequest, tenant: Tenant, status: str, answered_by: str, reason: str = "") -> None:
    """Mark the request used, exactly once even when two answers arrive together."""
    closed = db.session.execute(
        update(NominationRequest)
        .where(NominationRequest.id == nomination.id, NominationRequest.status == "sent")
        .values(status=status, answered_at=utcnow(), answered_by=answered_by, decline_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(nomination)
    if closed != 1:
        _check_open(nomination, tenant)
        raise NominationLinkError(_l("This request has already been answered."), nomination.locale)


@dataclass
class Representative:
    name: str = ""
    email: str = ""
    title: str = ""
    mandate: str = ""
    role: str = "member"

    def is_empty(self) -> bool:
        return not any(value.strip() for value in (self.name, self.email, self.title, self.mandate))


def _check_answerer(answered_by: str, field: str) -> str:
    answered_by = answered_by.strip()
    rules.require(answered_by, field)
    rules.at_most(answered_by, 200, field)
    return answered_by


def _check_representatives(nomination: NominationRequest, representatives: list[Representative]):
    named = [(n, r) for n, r in enumerate(representatives[: nomination.seats]) if not r.is_empty()]
    if not named:
        raise OperationError(_l("Name at least one representative."), field="representatives-0-name")
    seen = set()
    for n, rep in named:
        prefix = f"representatives-{n}-"
        rules.require(rep.name, prefix + "name")
        rules.email_address(rep.email, prefix + "email")
        if rep.email.strip().lower() in seen:
            raise OperationError(_l("Each representative needs an e-mail address of their own."), field=prefix + "email")
        seen.add(rep.email.strip().lower())
        if rep.role not in REPRESENTATIVE_ROLES:
            raise OperationError(_l("Choose a role from the list."), field=prefix + "role")
        for name, value, longest in (("name", rep.name, 200), ("title", rep.title, 200), ("mandate", rep.mandate, 5000)):
            rules.at_most(value.strip(), longest, prefix + name)
    return [rep for _n, rep in named]


def answer_nomination(token: str, answered_by: str, representatives: list[Representative]) -> list[BodyMembership]:
    """The head names the representatives: they become people and members of the group.

    Runs inside the request's workspace (the link's view enters it).
    """
    tenant, nomination = find_by_token(token)
    answered_by = _check_answerer(answered_by, "answered_by")
    named = _check_representatives(nomination, representatives)
    _close(nomination, tenant, "answered", answered_by)
    body = db.session.scalar(select(Body).where(Body.id == nomination.body_id))
    day = workspace_today()
    sitting = set(db.session.scalars(
        select(BodyMembership.person_id).where(BodyMembership.body_id == body.id, *active_on(day))))
    memberships = []
    for rep in named:
        person = find_by_email(rep.email)
        if person is not None and person.organisation_id not in (None, nomination.organisation_id):
            # A head appoints people of their own organisation: someone else's
            # contact is not taken over (add_person refuses the address).
            person = None
        person = person or add_person(
            name=rep.name, email=rep.email, organisation_id=nomination.organisation_id, title=rep.title,
            locale=nomination.locale)
        if person.id in sitting:
            continue  # named again: already a member, nothing to add
        sitting.add(person.id)
        memberships.append(place_member(body, MembershipFields(
            person_id=person.id, role=rep.role, organisation_id=nomination.organisation_id,
            mandate=rep.mandate.strip(), start_date=day, nominated_by=answered_by,
        )))
    record("nomination_answered", subject=f"{nomination.organisation.name}: {body.name}",
           answered_by=answered_by, representatives=[rep.email.strip().lower() for rep in named])
    return memberships


def decline_nomination(token: str, answered_by: str, reason: str) -> None:
    tenant, nomination = find_by_token(token)
    answered_by = _check_answerer(answered_by, "declined_by")
    if not reason.strip():
        raise OperationError(_l("Please tell the secretariat why."), field="reason")
    rules.at_most(reason, 5000, "reason")
    _close(nomination, tenant, "declined", answered_by, reason.replace("\r\n", "\n").strip())
    record("nomination_declined", subject=f"{nomination.organisation.name}: {nomination.body.name}",
           answered_by=answered_by)


# --- reminders (a scheduled job) ---------------------------------------------------------

def send_due_reminders(tenant: Tenant) -> int:
    """Remind each head whose answer is due within REMINDER_DAYS days; once per request."""
    today = workspace_today()
    now = utcnow()
    due = db.session.scalars(select(NominationRequest).where(
        NominationRequest.status == "sent",
        NominationRequest.reminded_at.is_(None),
        NominationRequest.due_date >= today,
        NominationRequest.due_date <= today + timedelta(days=REMINDER_DAYS),
        NominationRequest.sent_at <= now - REMINDER_NOT_BEFORE,
    ).order_by(NominationRequest.id)).all()
    sent = 0
    for nomination in due:
        # Claimed with a conditional update: two workers at once remind only once.
        claimed = db.session.execute(
            update(NominationRequest)
            .where(NominationRequest.id == nomination.id, NominationRequest.reminded_at.is_(None),
                   NominationRequest.status == "sent")
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        db.session.refresh(nomination)
        _queue(nomination, tenant, "reminder")
        record("nomination_reminded", subject=f"{nomination.organisation.name}: {nomination.body.name}",
               recipient=nomination.recipient_email)
        sent += 1
    return sent


# --- reads ------------------------------------------------------------------------------
