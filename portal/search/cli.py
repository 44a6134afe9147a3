"""``flask search build``: (re)build the index for every language."""

import click
from flask.cli import AppGroup

search_cli = AppGroup("search", help="Build the search index.")


@search_cli.command("build")
@click.option("--if-stale", is_flag=True, help="Only when missing or older than the content.")
def build_cmd(if_stale):
    """Build the index into a new directory and swap it in atomically."""
    click.echo("search index: not implemented yet")
