"""What a domain's `register(app)` uses to plug into the app."""
from flask import Blueprint, Flask


def mount_in_workspace(app: Flask, blueprint: Blueprint) -> None:
    """Serve a blueprint's routes under /<slug>/, inside that workspace (workspaces.access)."""
    app.register_blueprint(blueprint, url_prefix="/<slug>")
