"""Security headers, error pages and the one-transaction-per-request rule."""
from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from samklima.extensions import db

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _error_texts():
    return {
        400: (_("Bad request"), _("The request could not be understood. Please go back and try again.")),
        403: (_("Not allowed"), _("Your role in this workspace does not allow this.")),
        404: (_("Page not found"), _("There is no page at this address, or you do not have access to it.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is larger than we accept. Please send a smaller file or less text.")),
        429: (_("Too many attempts"), _("Too many attempts in a short time. Please wait a minute and try again.")),
        500: (_("Something went wrong"), _("Something went wrong on our side. Nothing was saved. Please try again.")),
    }


def render_error(code: int, detail: str | None = None):
    texts = _error_texts()
    title, text = texts.get(code, texts[500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def init_app(app: Flask) -> None:
    @app.after_request
    def finish_transaction(response):
        # One transaction per request: what a successful request changed is
        # committed here; a failed one leaves nothing half-done (but the refusals
        # a view keeps on purpose: platform.views.form_view).
        if response.status_code < 400 or g.get("keep_refusal"):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config["PRODUCTION"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Signed-in pages, and pages opened by a secret link, must not be kept by a shared cache.
        opened_by_token = bool(request.view_args and "token" in request.view_args)
        if (current_user.is_authenticated or opened_by_token) and not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("The form had expired or was sent from another page. Please fill it in again."))

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host header that is not ours (TRUSTED_HOSTS): no page of ours can be
        # built for it, since every link on it would point at that host.
        title, text = _error_texts()[400]
        return f"{title}\n\n{text}\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308) or error.response is not None:
            return error.get_response()
        db.session.rollback()
        # Werkzeug's own descriptions are English; only ours are translated.
        description = str(error.description) if getattr(error, "is_localised", False) else None
        return render_error(error.code or 500, description)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_error(500)
