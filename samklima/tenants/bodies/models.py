"""Bodies (steering groups, working groups, networks, secretariats), who sits in
them, the seats and organisations they must cover, and nomination requests."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import TenantScoped, tenant_foreign_key
from samklima.tenants.organisations.models import Organisation
from samklima.tenants.people.models import Person

BODY_KINDS = (
    "political_steering_group",
    "administrative_steering_group",
    "working_group",
    "network",
    "secretariat",
    "reference_group",
    "project_group",
)
BODY_ROLES = ("chair", "co_chair", "vice_chair", "member", "substitute", "secretary", "coordinator", "observer")
# Roles whose holder runs the body: they manage its members (and later meetings).
MANAGING_ROLES = ("chair", "co_chair", "secretary", "coordinator")
# "member_organisations": at least one representative of each member organisation;
# "departments": of each department under them (seed 003, "minst en från varje förvaltning");
# "seats": named seats filled, whoever chooses (seed 004: KD-Net picks five municipalities).
COVERAGE_RULES = ("none", "member_organisations", "departments", "seats")


class Body(TenantScoped, db.Model):
    __tablename__ = "bodies"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("parent_id", "bodies"),
        tenant_foreign_key("reports_to_id", "bodies"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="active")
    parent_id: Mapped[int | None] = mapped_column(index=True)
    reports_to_id: Mapped[int | None] = mapped_column(index=True)
    # Terms of reference (kommissorium, uppdragsbeskrivning, mandat).
    purpose: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    mandate: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    meeting_cadence: Mapped[str] = mapped_column(String(200), default="")
    case_number: Mapped[str] = mapped_column(String(60), default="")
    coverage_rule: Mapped[str] = mapped_column(String(30), default="none")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Body | None] = relationship(
        primaryjoin="foreign(Body.parent_id) == remote(Body.id)", lazy="raise_on_sql"
    )
    reports_to: Mapped[Body | None] = relationship(
        primaryjoin="foreign(Body.reports_to_id) == remote(Body.id)", lazy="raise_on_sql"
    )


class BodyMemberOrganisation(TenantScoped, db.Model):
    """An organisation the body must cover with at least one representative."""

    __tablename__ = "body_member_organisations"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        tenant_foreign_key("organisation_id", "organisations", ondelete="CASCADE"),
        Index("uq_body_member_organisations_body_org", "tenant_id", "body_id", "organisation_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(index=True)
    organisation_id: Mapped[int] = mapped_column(index=True)

    organisation: Mapped[Organisation] = relationship(
        primaryjoin="foreign(BodyMemberOrganisation.organisation_id) == Organisation.id", lazy="joined"
    )


class BodySeat(TenantScoped, db.Model):
    """A named seat, e.g. "Municipality chosen by KD-Net" or "Region Midtjylland"."""

    __tablename__ = "body_seats"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        tenant_foreign_key("organisation_id", "organisations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(index=True)
    label: Mapped[str] = mapped_column(String(200))
    # Who fills it: "KD-Net", "Region Midtjylland"... free text, as the seeds say it.
    chosen_by: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(default=0)

    organisation: Mapped[Organisation | None] = relationship(
        primaryjoin="foreign(BodySeat.organisation_id) == Organisation.id", lazy="joined"
    )


class BodyMembership(TenantScoped, db.Model):
    """A person's place in a body; ended terms stay as history."""

    __tablename__ = "body_memberships"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        tenant_foreign_key("person_id", "people"),
        tenant_foreign_key("organisation_id", "organisations"),
        tenant_foreign_key("seat_id", "body_seats"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(index=True)
    person_id: Mapped[int] = mapped_column(index=True)
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(index=True)
    seat_id: Mapped[int | None] = mapped_column(index=True)
    mandate: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    nominated_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(
        primaryjoin="foreign(BodyMembership.person_id) == Person.id", lazy="joined", innerjoin=True
    )
    organisation: Mapped[Organisation | None] = relationship(
        primaryjoin="foreign(BodyMembership.organisation_id) == Organisation.id", lazy="joined"
    )

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class SecretariatService(TenantScoped, db.Model):
    """A secretariat body serves another body: its members manage that body."""

    __tablename__ = "secretariat_services"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("secretariat_id", "bodies", ondelete="CASCADE"),
        tenant_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        Index("uq_secretariat_services_pair", "tenant_id", "secretariat_id", "body_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    secretariat_id: Mapped[int] = mapped_column(index=True)
    body_id: Mapped[int] = mapped_column(index=True)


class ChairTerm(TenantScoped, db.Model):
    """Who chairs a body from a date on: a rotating chair is a list of these (seed 003)."""

    __tablename__ = "chair_terms"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        tenant_foreign_key("membership_id", "body_memberships", ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(index=True)
    membership_id: Mapped[int] = mapped_column(index=True)
    starts_on: Mapped[date]

    membership: Mapped[BodyMembership] = relationship(
        primaryjoin="foreign(ChairTerm.membership_id) == BodyMembership.id", lazy="joined", innerjoin=True
    )


# "overdue" is not stored: a request still "sent" after its due date (is_overdue_on).
NOMINATION_STATUSES = ("sent", "answered", "declined", "withdrawn")


class NominationRequest(TenantScoped, db.Model):
    """A body asks the head of an organisation to appoint representatives (seed 000, 002)."""

    __tablename__ = "nomination_requests"
    __table_args__ = TenantScoped.tenant_table_args(
        tenant_foreign_key("body_id", "bodies", ondelete="CASCADE"),
        tenant_foreign_key("organisation_id", "organisations"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(index=True)
    organisation_id: Mapped[int] = mapped_column(index=True)
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    recipient_email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5))
    seats: Mapped[int] = mapped_column(default=1)
    message: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="sent")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship(
        primaryjoin="foreign(NominationRequest.organisation_id) == Organisation.id", lazy="joined", innerjoin=True
    )
    body: Mapped[Body] = relationship(
        primaryjoin="foreign(NominationRequest.body_id) == Body.id", lazy="joined", innerjoin=True
    )

    def is_overdue_on(self, day: date) -> bool:
        return self.status == "sent" and self.due_date < day
