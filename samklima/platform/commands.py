"""Command-line tools: the outbox worker and database roles."""
import time

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import text

from samklima.extensions import db
from samklima.platform.outbox.operations import MailServerUnreachable, send_batch
from samklima.platform.scheduler import jobs, run_jobs

outbox_cli = AppGroup("outbox", help="Send the mail waiting in the outbox.")
jobs_cli = AppGroup("jobs", help="Scheduled work in every workspace (reminders).")
roles_cli = AppGroup("roles", help="PostgreSQL roles for row-level security.")


@outbox_cli.command("send")
@click.option("--batch", default=50, show_default=True, help="Messages claimed at a time.")
@click.option("--lease", default=300, show_default=True, help="Seconds before a killed worker's claim lapses.")
def send_command(batch, lease):
    """Send every pending message once, then stop."""
    total = 0
    try:
        while sent := send_batch(limit=batch, lease_seconds=lease):
            total += sent
    except MailServerUnreachable as error:
        raise click.ClickException(f"outbox: {total} sent; the mail server cannot be reached ({error}), "
                                   "the rest waits for the next run") from None
    click.echo(f"outbox: {total} sent")


@outbox_cli.command("work")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between looks at the outbox.")
@click.option("--jobs-every", default=60.0, show_default=True, help="Seconds between runs of the scheduled jobs.")
def work_command(interval, jobs_every):
    """Keep sending mail as it arrives and run the scheduled jobs (development and production worker)."""
    click.echo("outbox worker started", err=True)
    next_jobs = 0.0
    while True:
        try:
            if time.monotonic() >= next_jobs:
                # Before sending: a reminder queued now goes out in this same turn.
                next_jobs = time.monotonic() + jobs_every
                run_jobs()
            while send_batch():
                pass
        except Exception as error:  # a broken SMTP server must not kill the worker
            db.session.rollback()
            click.echo(f"outbox: {error}", err=True)
        db.session.remove()
        time.sleep(interval)


@jobs_cli.command("run")
@click.option("--job", "only", default=None, help="Run only this job.")
def jobs_run_command(only):
    """Run every scheduled job once in each workspace, then stop."""
    known = jobs()
    if only is not None and only not in known:
        raise click.BadParameter(f"unknown job; known: {', '.join(sorted(known)) or 'none'}", param_hint="--job")
    for name, done in run_jobs(only).items():
        click.echo(f"jobs: {name}: {done}")


@roles_cli.command("grant")
@click.argument("role")
def grant_command(role):
    """Let ROLE (the app's login) use the tables it does not own."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("only PostgreSQL has roles")
    if not role.replace("_", "").isalnum():
        raise click.BadParameter("letters, digits and underscores only")
    with db.engine.begin() as connection:
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
        connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    click.echo(f"granted table access to {role}")


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(roles_cli)
