"""Entry point for gunicorn: `gunicorn wsgi:app`."""
from samklima import create_app

app = create_app()
