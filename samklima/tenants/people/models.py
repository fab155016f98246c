"""People: the workspace's contacts. Directors and politicians often never sign
in, but still get agendas and minutes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import TenantScoped, tenant_foreign_key
from samklima.tenants.organisations.models import Organisation


class Person(TenantScoped, db.Model):
    __tablename__ = "people"
    __table_args__ = TenantScoped.tenant_table_args(tenant_foreign_key("organisation_id", "organisations"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(
        primaryjoin="foreign(Person.organisation_id) == Organisation.id", lazy="joined"
    )
    user: Mapped[User | None] = relationship(lazy="joined")
