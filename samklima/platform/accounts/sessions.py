"""Server-side sessions: a fresh id at sign-in, ended by sign-out, a password
change, 12 hours of age or a configurable idle time."""
from datetime import timedelta

from flask import current_app, request, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from samklima.extensions import db, login_manager
from samklima.platform.accounts.models import User, UserSession
from samklima.platform.clock import utcnow
from samklima.platform.tokens import hash_secret, new_secret

# Writing last_seen_at on every request would cost a write per page view.
_TOUCH_INTERVAL = timedelta(seconds=60)


def end_current_session() -> None:
    """End this browser's server-side session, if it has one."""
    current = session.get("sid")
    if current:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == hash_secret(current)))


def start_session(user: User) -> None:
    # Signing in again in this browser replaces its session: the old id must not stay alive.
    end_current_session()
    session.clear()
    secret = new_secret()
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=hash_secret(secret),
            user_agent=(request.user_agent.string or "")[:200],
        )
    )
    session["sid"] = secret
    login_user(user)


def end_all_sessions(user: User, keep_current: bool = False) -> None:
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    current = session.get("sid")
    if keep_current and current:
        statement = statement.where(UserSession.token_hash != hash_secret(current))
    db.session.execute(statement)


def sign_out() -> None:
    end_current_session()
    logout_user()
    session.clear()


def _expired(row: UserSession) -> bool:
    now = utcnow()
    config = current_app.config
    return (
        now - row.created_at > timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
        or now - row.last_seen_at > timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    )


@login_manager.user_loader
def load_user(user_id: str):
    secret = session.get("sid")
    if not secret:
        return None
    row = db.session.scalar(
        select(UserSession).options(joinedload(UserSession.user)).where(UserSession.token_hash == hash_secret(secret))
    )
    if row is None or str(row.user_id) != user_id:
        session.clear()
        return None
    if _expired(row):
        # Removed with the request's own transaction; until then expiry alone refuses it.
        db.session.delete(row)
        session.clear()
        return None
    if utcnow() - row.last_seen_at > _TOUCH_INTERVAL:
        row.last_seen_at = utcnow()
    return row.user


def sessions_of(user: User) -> list[UserSession]:
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.last_seen_at.desc())
    ).all()
