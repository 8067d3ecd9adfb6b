"""`python -m streams.console.web [user ...]`: the same as `borderwatch console [user ...]`."""

from streams.console.web.cli import console_app

console_app(prog_name="borderwatch console")
