"""`borderwatch console` (serve the web console) and `borderwatch console user add|list|remove|passwd`."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from streams.console.web.accounts import AccountError, Accounts
from streams.settings import Settings

console_app = typer.Typer(help="The duty officer's web console and its officer accounts.",
                          invoke_without_command=True, no_args_is_help=False)
user_app = typer.Typer(help="Officer accounts (country + agency), stored in BW_CONSOLE_ACCOUNTS.")
console_app.add_typer(user_app, name="user")


def _settings(**overrides: object) -> Settings:
    from streams.cli import _settings as cli_settings  # the CLI's own builder: logging, bootstrap override

    return cli_settings(**overrides)


@console_app.callback()
def console(ctx: typer.Context,
            host: Annotated[str | None, typer.Option(help="Listen address (BW_CONSOLE_HOST).")] = None,
            port: Annotated[int | None, typer.Option(help="Listen port (BW_CONSOLE_PORT).")] = None,
            bootstrap: Annotated[str | None, typer.Option(help="Kafka bootstrap servers.")] = None) -> None:
    """Serve the console (when no sub-command is given)."""
    if ctx.invoked_subcommand is not None:
        return
    from streams.console.web.app import serve

    overrides = {k: v for k, v in {"console_host": host, "console_port": port,
                                   "kafka_bootstrap": bootstrap}.items() if v is not None}
    settings = _settings(**overrides)
    typer.echo(f"console: http://{settings.console_host}:{settings.console_port}/")
    asyncio.run(serve(settings))


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(username: str,
             country: Annotated[str, typer.Option(help="The officer's country (alpha-3): they see its alerts.")],
             agency: Annotated[str, typer.Option(help="The officer's agency.")],
             password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin.")] = False) -> None:
    """Create an officer account."""
    try:
        officer = Accounts(_settings().console_accounts).add(username, country, agency, _password(password_stdin))
    except AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"added {officer.username} ({officer.agency}, {officer.country})")


@user_app.command("passwd")
def user_passwd(username: str,
                password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin.")] = False) -> None:
    """Set an officer's password."""
    try:
        Accounts(_settings().console_accounts).set_password(username, _password(password_stdin))
    except AccountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"password set for {username}")


@user_app.command("list")
def user_list() -> None:
    """Every officer account: username, country, agency."""
    for officer in Accounts(_settings().console_accounts).all():
        typer.echo(f"{officer.username}\t{officer.country}\t{officer.agency}")


@user_app.command("remove")
def user_remove(username: str) -> None:
    """Delete an officer account (their open sessions stop working at their next request)."""
    if not Accounts(_settings().console_accounts).remove(username):
        typer.echo(f"error: no officer {username!r}", err=True)
        raise typer.Exit(2)
    typer.echo(f"removed {username}")
