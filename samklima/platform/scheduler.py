"""Scheduled work that runs inside each workspace (reminders; later publishing agendas).

Tenant domains name their jobs by answering signals.scheduled_jobs; the
platform never imports them. The worker (`flask outbox work`) and `flask jobs run` call every job once
for each workspace, inside that workspace's scope (RULINGS: work that leaves
the request re-enters its workspace explicitly), each call in a transaction of
its own: one workspace's failure neither stops nor undoes another's work.

A job is `job(tenant) -> int` (how many things it did) and must be safe to
run again at any moment: the worker runs it every minute, and two workers may
run it at once. Jobs read "now" from the clock, so tests move time with
time-machine.
"""
from __future__ import annotations

import logging
from typing import Callable

from flask import current_app
from sqlalchemy import select

from samklima.extensions import db
from samklima.platform import signals
from samklima.platform.tenancy import tenant_scope

log = logging.getLogger("samklima.scheduler")

Job = Callable[[object], int]


def jobs() -> dict[str, Job]:
    """The current app's jobs by name, as its domains answer signals.scheduled_jobs."""
    return {name: job for answer in signals.answers(signals.scheduled_jobs) for name, job in answer}


def run_jobs(only: str | None = None) -> dict[str, int]:
    """Run every registered job (or the one named `only`) once for each workspace."""
    from samklima.platform.workspaces.models import Tenant

    chosen = {name: job for name, job in jobs().items() if only is None or name == only}
    totals = {name: 0 for name in chosen}
    tenant_ids = db.session.scalars(select(Tenant.id).order_by(Tenant.id)).all()
    db.session.commit()
    for tenant_id in tenant_ids:
        for name, job in chosen.items():
            totals[name] += _run_one(name, job, tenant_id)
    return totals


def _run_one(name: str, job: Job, tenant_id: int) -> int:
    from samklima.platform.workspaces.models import Tenant

    # A request context of the configured site, for what a job's templates ask of one.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        try:
            with tenant_scope(tenant_id):
                done = job(db.session.get(Tenant, tenant_id)) or 0
                db.session.commit()
                return done
        except Exception:
            db.session.rollback()
            log.exception("job %s failed in workspace %s", name, tenant_id)
            return 0
