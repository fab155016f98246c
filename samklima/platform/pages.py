"""Pages that belong to no workspace: health check."""
from flask import Blueprint

bp = Blueprint("pages", __name__)


@bp.get("/health")
def health():
    return {"status": "ok"}
