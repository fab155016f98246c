"""One-time secrets sent by e-mail: only a hash is stored, compared in constant time."""
import base64
import hashlib
import hmac
import re
import secrets

from flask import current_app
from sqlalchemy import select, update

from samklima.extensions import db
from samklima.platform.clock import utcnow

from samklima.platform.inputs import parse_id
from samklima.platform.tenancy import tenant_scope
from samklima.platform.workspaces.models import Tenant


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def keyed_secret(purpose: str, *parts) -> str:
    """A secret the server can make again from SECRET_KEY and stable facts about a row.

    For a link that has to go out more than once (a reminder repeats the first
    mail's link) while the database still holds only its hash: whoever reads
    the database cannot rebuild the link without the key. Changing SECRET_KEY
    ends every such link.
    """
    message = "\x1f".join([purpose, *map(str, parts)]).encode()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def tenant_token(tenant_id: int, secret: str) -> str:
    """A link token that names its workspace, so the lookup runs inside its scope."""
    return f"{tenant_id}-{secret}"


# "<tenant id>-<url-safe secret>": checked whole before parsing, so that a
# non-ASCII digit (int() fails) or a number beyond any id is just a bad link.
TENANT_TOKEN = re.compile(r"([0-9]{1,18})-([A-Za-z0-9_-]{1,100})")


def split_tenant_token(token: str) -> tuple[int, str] | None:
    match = TENANT_TOKEN.fullmatch(token)
    tenant_id = parse_id(match.group(1)) if match else None
    return (tenant_id, match.group(2)) if tenant_id is not None else None


def use_once(column, row_id: int) -> bool:
    """Stamp a one-time link's row as used (`column` set to now) unless another request did first.

    Of two requests with the same link at the same moment (a double click, two
    tabs, a mail scanner) only one gets True: the condition stands in the
    UPDATE, and PostgreSQL re-checks it on a row another transaction has just
    changed, while SQLite writes one at a time.
    """
    model = column.class_
    return db.session.execute(
        update(model)
        .where(model.id == row_id, column.is_(None))
        .values({column.key: utcnow()})
        .execution_options(synchronize_session="fetch")
    ).rowcount == 1


def row_for_link(token: str, column, invalid: Exception):
    """(the workspace, the row) that a "<workspace id>-<secret>" link names, looked up by the
    secret's hash in `column` inside that workspace's scope; raises `invalid` for any other token."""
    parts = split_tenant_token(token)
    if parts is None:
        raise invalid
    tenant_id, secret = parts
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        raise invalid
    with tenant_scope(tenant):
        row = db.session.scalar(select(column.class_).where(column == hash_secret(secret)))
        if row is None or not secret_matches(secret, getattr(row, column.key)):
            raise invalid
    return tenant, row
