"""The bare-Flask ceiling: the same gunicorn settings, no database, no templates."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
