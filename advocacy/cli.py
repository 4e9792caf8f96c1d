"""The `advocacy` command: Flask's CLI (run, shell, routes) plus our own commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup

from advocacy import clock
from advocacy.bench.command import bench_command
from advocacy.campaigns import versions
from advocacy.campaigns.checks import check_campaign, check_campaigns
from advocacy.campaigns.content import (
    CampaignContentError,
    dump_campaign,
    load_campaign_file,
    parse_stored_campaign,
)
from advocacy.campaigns.service import (
    campaign_slugs,
    get_stored_campaign,
    install_shipped_campaigns,
    upsert_campaign,
)
from advocacy.campaigns.slugs import SlugTakenError
from advocacy.config import ConfigError
from advocacy.congress.calendar import congress_on, ordinal
from advocacy.db import get_session
from advocacy.http import build_session
from advocacy.i18n.catalogues import (
    AWAITING_REVIEW,
    all_po_files,
    compile_all,
    reviewer_status,
    with_reviewer_status,
)
from advocacy.i18n.languages import TRANSLATIONS
from advocacy.i18n.lint import Problem, problems
from advocacy.organizers import map_checks
from advocacy.organizers.map_checks_command import confirm_map_command
from advocacy.representatives import datafiles
from advocacy.representatives.datafiles.blocktable_command import build_zip_table_command
from advocacy.representatives.service import data_locations, map_table


def register_commands(app: Flask) -> None:
    """Add our command groups to the app's CLI."""
    app.cli.add_command(db_group)
    app.cli.add_command(data_group)
    app.cli.add_command(campaigns_group)


db_group = AppGroup("db", help="Database schema.")


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations, then add the shipped campaigns that are not stored yet."""
    from advocacy import migrate

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    before = migrate.current_revision(app)
    migrate.upgrade(app, revision)
    after = migrate.current_revision(app)
    if before is None:
        click.echo(f"Created the database (schema revision {after}).")
    elif before != after:
        click.echo(f"Upgraded the database from revision {before} to {after}.")
    else:
        click.echo(f"The database is up to date (revision {after}).")
    session = get_session()
    added = install_shipped_campaigns(session)
    session.commit()
    for slug in added:
        click.echo(f"Added campaign {slug!r}.")


data_group = AppGroup("data", help="Members of Congress and ZIP-to-district data.")


# Exit codes of `data refresh` and `data status`, for monitoring (README: the runbook).
EXIT_CURRENT = 0  # every file in use describes the sitting Congress
EXIT_FAILED = 1  # a file could not be updated, read or checked
EXIT_BEHIND = 3  # the data in use describes a Congress that has ended


@data_group.command("refresh")
@click.option(
    "--zcta-congress",
    type=click.IntRange(min=1),
    default=None,
    help="The Congress whose map the ZIP table at ADVOCACY_ZCTA_URL draws, when its header "
    "does not say (cd120) [default: ADVOCACY_ZCTA_CONGRESS, or what is known of the URL].",
)
def data_refresh(zcta_congress: int | None) -> None:
    """Download fresh copies, check them, and put each in use only if it is good.

    Exits 0 when the data in use describes the sitting Congress, 3 when it is behind it
    (the members file or ZIP table of a Congress that has ended), 1 when a file could not
    be updated.
    """
    places = data_locations(current_app)
    now = clock.now()
    zip_table = next(place for place in places if place.name == datafiles.ZCTA)
    congress = zip_table.url_congress(zcta_congress)
    click.echo(datafiles.sitting_line(now))
    whose = f"for the {ordinal(congress)} Congress" if congress else "(its Congress unknown)"
    click.echo(f"Downloading members of Congress and the ZIP-to-district table {whose}...")
    with build_session() as session:
        outcomes = datafiles.refresh(session, places, now=now, zcta_congress=zcta_congress)
    for outcome in outcomes:
        click.echo(outcome.describe(), err=not outcome.ok)
    if not all(outcome.ok for outcome in outcomes):
        sys.exit(EXIT_FAILED)
    if any(outcome.behind for outcome in outcomes):
        click.echo(_behind_line(now), err=True)
        sys.exit(EXIT_BEHIND)


def _behind_line(now: datetime) -> str:
    sitting = congress_on(now)
    return (
        f"Behind: the data in use describes a Congress before the {ordinal(sitting)}; "
        "see the lines above and the README's runbook (A new Congress)."
    )


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    """Parse --at: an ISO date and time, in UTC unless it gives an offset."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO date and time") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _at_option(what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The --at option: a moment to rehearse, in UTC unless it gives an offset."""
    return click.option(
        "--at",
        "at",
        metavar="ISO-DATETIME",
        callback=_moment,
        help=f"{what} as of then instead of now, e.g. 2027-01-03T17:00Z (UTC unless an "
        "offset is given).",
    )


@data_group.command("status")
@_at_option("Describe the files")
def data_status(at: datetime | None) -> None:
    """Say which copy of each data file is in use, how old it is and what it holds.

    Exits 0 when both describe the sitting Congress (at --at, if given), 3 when either
    describes a Congress that has ended, 1 when either cannot be read or fails a check.
    """
    now = at or clock.now()
    click.echo(datafiles.sitting_line(now))
    statuses = datafiles.status(data_locations(current_app), now)
    for item in statuses:
        click.echo(item.describe())
    # Facts the service acts on without being sure of them, until an organizer confirms.
    for line in map_checks.status_lines(get_session(), map_table(current_app), now):
        click.echo(line)
    if not all(item.usable and item.problem is None for item in statuses):
        sys.exit(EXIT_FAILED)
    if any(item.behind for item in statuses):
        click.echo(_behind_line(now))
        sys.exit(EXIT_BEHIND)


data_group.add_command(build_zip_table_command)
data_group.add_command(confirm_map_command)

campaigns_group = AppGroup("campaigns", help="Campaign content.")


@campaigns_group.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def campaigns_load(path: Path) -> None:
    """Add or update a campaign from a TOML content file, live at once.

    The file becomes the campaign's newest version, by "the command line", and is
    published: the organizers' editor shows it in the campaign's history.
    """
    try:
        content = load_campaign_file(path)
    except CampaignContentError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    session = get_session()
    try:
        campaign, created = upsert_campaign(session, content, summary=f"Loaded from {path.name}")
    except SlugTakenError as error:
        session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    session.commit()
    verb = "Added" if created else "Updated"
    click.echo(
        f"{verb} campaign {campaign.slug!r}: {campaign.title} (goal {campaign.goal:,}), "
        f"live as version {campaign.published_version}."
    )
    for warning in check_campaign(campaign, clock.now()).warnings:
        click.echo(f"  Warning: {warning}")


@campaigns_group.command("dump")
@click.argument("slug")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the file here (replacing it) instead of to standard output.",
)
@click.option(
    "--version",
    "number",
    type=click.IntRange(min=1),
    default=None,
    help="Write this version of the campaign (its history's number) instead of the live one.",
)
def campaigns_dump(slug: str, output: Path | None, number: int | None) -> None:
    """Write a stored campaign as the TOML file `campaigns load` reads.

    The live version, unless --version names another (drafts saved in the organizers'
    editor included). Loading the file gives back exactly what the database holds, so a
    campaign can be kept in git, edited, and loaded again. Exit with status 1 when there
    is no such campaign or version, or when its stored content would be refused by
    `campaigns load` (the file is written all the same, to be mended).
    """
    session = get_session()
    campaign = get_stored_campaign(session, slug)
    if campaign is None:
        slugs = campaign_slugs(session)
        stored = f"the stored ones are: {', '.join(slugs)}" if slugs else "none is stored"
        click.echo(f"Error: no campaign has the slug {slug!r} ({stored}).", err=True)
        sys.exit(1)
    content = campaign.content
    source = f"campaign {slug!r} as stored"
    if number is None and campaign.status == "draft":
        click.echo(
            f"Error: campaign {slug!r} is a draft that has never been published; name a "
            "version with --version N (the organizers' editor lists them).",
            err=True,
        )
        sys.exit(1)
    if number is not None:
        version = versions.get_version(session, campaign.id, number)
        if version is None:
            latest = versions.latest_version(session, campaign.id)
            known = f"1 to {latest.number}" if latest is not None else "none"
            click.echo(
                f"Error: campaign {slug!r} has no version {number} (its versions: {known}).",
                err=True,
            )
            sys.exit(1)
        content = version.content
        source = f"campaign {slug!r} version {number}"
    try:
        text = dump_campaign(content, source=source)
    except CampaignContentError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    # Bytes: the file is UTF-8 whatever the terminal's encoding (Uyghur text included).
    data = text.encode("utf-8")
    if output is None:
        click.echo(data, nl=False)
    else:
        try:
            output.write_bytes(data)
        except OSError as error:
            click.echo(f"Error: cannot write {output}: {error.strerror}", err=True)
            sys.exit(1)
        click.echo(f"Wrote campaign {slug!r} to {output}.")
    try:
        parse_stored_campaign(content, source=source)
    except CampaignContentError as error:
        click.echo(f"Warning: `advocacy campaigns load` would refuse it. {error}", err=True)
        sys.exit(1)


@campaigns_group.command("check")
@_at_option("Check")
def campaigns_check(at: datetime | None) -> None:
    """Warn about campaigns whose bill's Congress has ended or ends within 60 days.

    Exit with status 1 when a campaign's bill has died with its Congress (or its stored
    content cannot be read), else 0.
    """
    checks = check_campaigns(get_session(), at or clock.now())
    if not checks:
        click.echo("No campaigns stored. Load one with `advocacy campaigns load PATH`.")
    for check in checks:
        click.echo(f"{check.slug}: {check.title}")
        for warning in check.warnings:
            click.echo(f"  Warning: {warning}")
        if not check.warnings:
            click.echo("  OK: nothing needs updating.")
    if any(check.failed for check in checks):
        sys.exit(1)


def _create_app() -> Flask:
    from advocacy import create_app

    return create_app()


i18n_group = click.Group("i18n", help="Translations: message catalogues.")


@i18n_group.command("lint")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def i18n_lint(paths: tuple[Path, ...]) -> None:
    """Check Uyghur catalogues (.po): letters, reviewer status, placeholders."""
    failed = False
    for path in paths:
        try:
            found = problems(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            found = [Problem(1, f"not UTF-8: {error.reason} at byte {error.start}")]
        for problem in found:
            click.echo(f"{path}:{problem.line}: {problem.message}")
        failed = failed or bool(found)
    if failed:
        sys.exit(1)
    click.echo(f"{len(paths)} catalogue(s): no problems.")


@i18n_group.command("compile")
def i18n_compile() -> None:
    """Compile every catalogue (.po) into the .mo the app reads (scripts/bootstrap does)."""
    written = compile_all()
    click.echo(f"{len(written)} catalogue(s) compiled.")


@i18n_group.command("extract")
def i18n_extract() -> None:
    """Collect the English messages from the code and templates into messages.pot, then
    bring every catalogue up to date with it (new messages empty, changed ones fuzzy)."""
    root = Path(__file__).resolve().parent.parent
    template = TRANSLATIONS / "messages.pot"
    run_pybabel(
        [
            "extract",
            "-F",
            str(root / "pyproject.toml"),
            "-o",
            str(template),
            "--no-location",
            "--sort-output",
            "--project",
            "advocacy",
            "-k",
            "lazy_gettext",
            str(root),
        ]
    )
    statuses = {po: reviewer_status(po.read_text(encoding="utf-8")) for po in all_po_files()}
    run_pybabel(["update", "-i", str(template), "-d", str(TRANSLATIONS), "--ignore-obsolete"])
    for po, status in statuses.items():
        text = po.read_text(encoding="utf-8")
        po.write_text(with_reviewer_status(text, status or AWAITING_REVIEW), encoding="utf-8")
    compile_all()
    click.echo(f"{template} and {len(statuses)} catalogue(s) updated and compiled.")


def run_pybabel(arguments: list[str]) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "--quiet", *arguments])  # type: ignore[no-untyped-call]


cli = FlaskGroup(create_app=_create_app, help="Advocacy: campaign pages that turn into action.")
# Need no app of the caller's: the bench makes its own, on a throw-away database, and the
# catalogue lint reads files only.
cli.add_command(bench_command)
cli.add_command(i18n_group)


# sysexits' EX_CONFIG: the settings cannot start the service (supervisors need not retry).
EXIT_CONFIG = 78


def main() -> None:
    """Run the `advocacy` console script."""
    try:
        cli.main()
    except ConfigError as error:
        # One line that says what to set, not a traceback through Flask's CLI.
        click.echo(f"advocacy: cannot start: {error}", err=True)
        sys.exit(EXIT_CONFIG)


if __name__ == "__main__":
    main()
