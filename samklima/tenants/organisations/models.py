"""Organisations in a workspace: municipalities, regions, their departments, companies."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samklima.extensions import db
from samklima.platform.clock import utcnow
from samklima.platform.tenancy import TenantScoped, tenant_foreign_key

ORGANISATION_KINDS = ("municipality", "region", "department", "national_body", "company", "other")
COUNTRIES = ("DK", "SE", "NO", "FI", "IS")
# What the interface calls each kind (glossary: kommune, region, forvaltning ...).
KIND_LABELS = {
    "municipality": _l("Municipality"),
    "region": _l("Region"),
    "department": _l("Department"),
    "national_body": _l("National body"),
    "company": _l("Company"),
    "other": _l("Other organisation"),
}


class Organisation(TenantScoped, db.Model):
    """A municipality, region or other member; departments nest to any depth
    (Bærum: direktørområde, kommunalsjefsområde, enhet)."""

    __tablename__ = "organisations"
    __table_args__ = TenantScoped.tenant_table_args(tenant_foreign_key("parent_id", "organisations"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(index=True)
    country: Mapped[str] = mapped_column(String(2))
    # Danish kommunekode, Swedish kommunkod, Norwegian kommunenummer, Finnish kuntanumero.
    official_code: Mapped[str] = mapped_column(String(20), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Organisation | None] = relationship(
        primaryjoin="foreign(Organisation.parent_id) == remote(Organisation.id)", lazy="joined", join_depth=1
    )
