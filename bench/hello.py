"""The baseline: a bare Flask "hello world" under the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
