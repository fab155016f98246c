"""One-time secrets sent by e-mail: only a hash is stored, compared in constant time."""
import hashlib
import hmac
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def tenant_token(tenant_id: int, secret: str) -> str:
    """A link token that names its workspace, so the lookup runs inside its scope."""
    return f"{tenant_id}-{secret}"


def split_tenant_token(token: str) -> tuple[int, str] | None:
    tenant_part, _, secret = token.partition("-")
    if not tenant_part.isdigit() or not secret or len(token) > 200:
        return None
    return int(tenant_part), secret
