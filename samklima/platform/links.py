"""Absolute links for e-mails, built from the configured BASE_URL only.

A link built from the request (url_for(..., _external=True)) takes its host
from the Host header, so a forged header would send a real user a reset link
to the attacker's site (RULINGS: links in e-mails). Requests for hosts other
than the configured ones are refused as well (TRUSTED_HOSTS, see config).
"""
from urllib.parse import urlsplit

from flask import current_app


def mail_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` on the configured site, inside or outside a request."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
