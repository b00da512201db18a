"""The promiseplan command line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from promiseplan.dataset.issues import DatasetError
from promiseplan.dataset.load import load_dataset
from promiseplan.examples import example_dataset

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(
    help="promiseplan: order promising and supply planning. A batch run confirms every open order "
    "and plans procurement, production and distribution.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

DatasetArg = Annotated[
    Path,
    typer.Argument(help="A dataset: a folder of CSV (or Parquet) files, or an .xlsx workbook."),
]


@contextmanager
def _refused(hint: str = "") -> Iterator[None]:
    """Exit 2 with what is wrong: every problem of a refused dataset, or a bad option value."""
    try:
        yield
    except DatasetError as error:
        errors.print(
            f"[bold red]The dataset was refused: {len(error.issues)} error(s).[/] "
            "Nothing was written."
        )
        for issue in error.issues:
            errors.print(f"  {issue}", markup=False, highlight=False)
        raise typer.Exit(2) from error
    except ValueError as error:
        errors.print(f"[bold red]error:[/] {error}{hint}")
        raise typer.Exit(2) from error


@app.command()
def run(
    dataset: DatasetArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the output files.")],
    now: Annotated[
        str | None,
        typer.Option(
            help="The run's date-time, YYYY-MM-DDTHH:MM (default: settings.toml, else the clock)."
        ),
    ] = None,
    horizon_days: Annotated[
        int | None,
        typer.Option(help="Planning horizon in days (default: settings.toml, else 120).", min=0),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            help="auto (the fast engine from 20,000 order lines on), fast or reference; "
            "both engines give the same plan."
        ),
    ] = "auto",
) -> None:
    """Plan every open order of DATASET and write confirmations and plans to OUT."""
    _plan(dataset, out, now, horizon_days, quiet, engine)


def _plan(
    dataset: Path,
    out: Path,
    now: str | None,
    horizon_days: int | None,
    quiet: bool,
    engine: str = "auto",
) -> None:
    from promiseplan.pipeline import run as run_pipeline

    with _refused(), _planning(quiet) as (progress, stage):
        result = run_pipeline(
            dataset, out, now, horizon_days, progress=progress, engine=engine, stage=stage
        )
    if not quiet:
        _summary(result.plan.kpis, result.seconds, out)


@contextmanager
def _planning(
    quiet: bool,
) -> Iterator[tuple[Callable[[int, int], None], Callable[[str], None]]]:
    """A progress bar for a run: what it does now (compiling or loading the fast engine,
    planning orders) and the orders planned so far."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        disable=quiet,
        transient=True,
    )
    with bar:
        task = bar.add_task("planning orders", total=None)
        yield (
            lambda done, total: bar.update(task, completed=done, total=total),
            lambda doing: bar.update(task, description=doing),
        )


def _summary(kpis: dict[str, object], seconds: dict[str, float], out: Path) -> None:
    table = Table(title="Planning run", show_header=True)
    table.add_column("what")
    table.add_column("value", justify="right")
    by_status = kpis["orders_by_status"]
    assert isinstance(by_status, dict)
    for status in ("on_time", "late", "partial", "unconfirmed"):
        table.add_row(f"orders {status.replace('_', ' ')}", str(by_status[status]))
    table.add_row("units confirmed", f"{kpis['units_confirmed']} of {kpis['units_ordered']}")
    table.add_row("purchase spend", f"{kpis['purchase_spend']:,.2f}")
    table.add_row("transport cost", f"{kpis['transport_cost']:,.2f}")
    for phase, secs in seconds.items():
        table.add_row(f"time: {phase}", f"{secs:.2f} s")
    table.add_row("run time", f"{kpis['run_seconds']} s")
    console.print(table)
    console.print(f"Outputs written to [bold]{out}[/]")


@app.command()
def promise(
    dataset: DatasetArg,
    customer: Annotated[str, typer.Option(help="The customer ordering.")],
    line: Annotated[list[str], typer.Option(help="ITEM:QUANTITY, once per line of the order.")],
    requested_date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD; default: as soon as possible.")
    ] = None,
    split: Annotated[
        bool, typer.Option("--split", help="Lines may ship apart (default: ship complete).")
    ] = False,
    now: Annotated[str | None, typer.Option(help="As for run.")] = None,
    horizon_days: Annotated[int | None, typer.Option(help="As for run.", min=0)] = None,
) -> None:
    """What could one more order be promised, after every open order of DATASET is planned?
    Nothing is written; the same rules as a run decide."""
    from datetime import date

    from promiseplan.online import Promiser, Request
    from promiseplan.pipeline import resolve_settings

    with _refused(hint=" (a line is ITEM:QUANTITY)"):
        lines = tuple((item, int(quantity)) for item, quantity in (x.split(":") for x in line))
        wanted = None if requested_date is None else date.fromisoformat(requested_date)
        data = load_dataset(dataset)
        with errors.status("planning the open orders") as status:
            promiser = Promiser(
                data, resolve_settings(data, now, horizon_days), stage=status.update
            )
        answer = promiser.promise(Request(customer, lines, wanted, ship_complete=not split))
    console.print(f"[bold]{answer.status}[/] {answer.promised_date or ''}  {answer.reason}")
    columns = ("line", "item", "quantity", "status", "promised_date", "ship_from", "mode")
    table = Table(*columns)
    for row in answer.schedule:
        table.add_row(*(str(row[k] or "") for k in columns))
    console.print(table)
    for row in answer.schedule:
        console.print(f"line {row['line']}: {row['reason']}", markup=False, highlight=False)


@app.command()
def validate(dataset: DatasetArg) -> None:
    """Check DATASET against the dataset contract and list every error."""
    with _refused():
        loaded = load_dataset(dataset)
    counts = ", ".join(
        f"{name} {frame.height}" for name, frame in loaded.tables.items() if frame.height
    )
    console.print(f"[green]valid[/]: {counts}")


@app.command()
def generate(
    name: Annotated[str, typer.Argument(help="flowers, electronics or scale.")],
    out: Annotated[Path, typer.Argument(help="Folder to write the dataset to.")],
    orders: Annotated[
        int | None,
        typer.Option(
            help="Size: orders for flowers and electronics, order lines for scale.", min=1
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same dataset.")
    ] = 1,
) -> None:
    """Write a synthetic dataset: a flower shop, an electronics maker, or the maker at scale."""
    from promiseplan.generate import GENERATORS
    from promiseplan.generate import generate as make

    if name not in GENERATORS:
        errors.print(
            f"[bold red]error:[/] unknown generator '{name}'; choose one of {', '.join(GENERATORS)}"
        )
        raise typer.Exit(2)
    tables = make(name, out, orders, seed)
    console.print(
        f"{name}: {tables['orders'].height} orders, {tables['order_lines'].height} order lines written to {out}"
    )


@app.command()
def check(
    dataset: DatasetArg,
    outputs: Annotated[Path, typer.Argument(help="Folder with the output files of a run.")],
    now: Annotated[
        str | None, typer.Option(help="The run's date-time (default: settings.toml).")
    ] = None,
    horizon_days: Annotated[
        int | None, typer.Option(help="The run's horizon (default: settings.toml, else 120).")
    ] = None,
) -> None:
    """Recompute every guarantee of planning.md from DATASET and a run's OUTPUTS; list violations."""
    from promiseplan.check import check_outputs
    from promiseplan.pipeline import resolve_settings

    with _refused():
        loaded = load_dataset(dataset)
        settings = resolve_settings(loaded, now, horizon_days)
    violations = check_outputs(loaded, settings, outputs)
    for violation in violations:
        errors.print(f"  {violation}", markup=False, highlight=False)
    if violations:
        errors.print(f"[bold red]{len(violations)} violation(s)[/]")
        raise typer.Exit(1)
    console.print("[green]the plan keeps every guarantee[/]")


importer = typer.Typer(
    help="Convert other planning systems' data into a promiseplan dataset.", no_args_is_help=True
)
app.add_typer(importer, name="import")


@importer.command("frepple")
def import_frepple(
    fixture: Annotated[
        Path,
        typer.Argument(
            help="A frePPLe fixture (JSON list of records).", exists=True, dir_okay=False
        ),
    ],
    out: Annotated[Path, typer.Argument(help="Folder to write the dataset to.")],
    demands: Annotated[
        str, typer.Option(help="open, all, or auto (the open demands if there are any, else all).")
    ] = "auto",
) -> None:
    """Convert a frePPLe model (e.g. its distribution or manufacturing demo) into a dataset."""
    from promiseplan.generate.tables import write_tables
    from promiseplan.importers.frepple import convert, read_fixture

    if demands not in ("open", "all", "auto"):
        errors.print(f"[bold red]error:[/] --demands must be open, all or auto, not '{demands}'")
        raise typer.Exit(2)
    try:
        conversion = convert(read_fixture(fixture), demands)
    except (ValueError, KeyError) as error:
        errors.print(f"[bold red]error:[/] {fixture} cannot be converted: {error}")
        raise typer.Exit(2) from error
    write_tables(conversion.tables, out)
    with _refused():
        load_dataset(out)
    counts = ", ".join(f"{n} {f.height}" for n, f in conversion.tables.items() if n != "settings")
    console.print(f"{fixture.name} -> {out} (now {conversion.now:%Y-%m-%dT%H:%M}): {counts}")
    for note in conversion.dropped:
        console.print(f"  not carried over: {note}", markup=False)


db = typer.Typer(
    help="The database: master data, open orders and runs (SQLite by default, PostgreSQL via PROMISEPLAN_DATABASE_URL).",
    no_args_is_help=True,
)
app.add_typer(db, name="db")
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="SQLAlchemy URL (default: PROMISEPLAN_DATABASE_URL, else sqlite:///promiseplan.db).",
    ),
]


def _database(url: str | None) -> Engine:
    from promiseplan.store import open_database, upgrade

    engine = open_database(url)
    upgrade(engine)
    return engine


@db.command("upgrade")
def db_upgrade(database: DatabaseOption = None) -> None:
    """Create or migrate the database schema to the newest version."""
    from promiseplan.store import database_url

    _database(database)
    console.print(f"database ready: {database_url(database)}")


@db.command("import")
def db_import(dataset: DatasetArg, database: DatabaseOption = None) -> None:
    """Replace the master data and open orders with DATASET (a refused dataset changes nothing)."""
    from promiseplan.store import import_dataset

    with _refused():
        loaded = load_dataset(dataset)
    counts = import_dataset(_database(database), loaded)
    console.print("imported: " + ", ".join(f"{n} {c}" for n, c in counts.items() if c))


@db.command("export")
def db_export(
    out: Annotated[Path, typer.Argument(help="A folder for CSV files, or a file ending in .xlsx.")],
    database: DatabaseOption = None,
) -> None:
    """Write the master data and open orders as a dataset (CSV folder or Excel workbook)."""
    from promiseplan.dataset.write import write_workbook
    from promiseplan.generate.tables import write_tables
    from promiseplan.store import export_dataset

    tables = export_dataset(_database(database))
    if out.suffix.lower() == ".xlsx":
        write_workbook(out, tables)
    else:
        write_tables(tables, out)
    console.print(f"exported {sum(f.height for f in tables.values())} rows to {out}")


@db.command("run")
def db_run(
    now: Annotated[
        str | None, typer.Option(help="The run's date-time, YYYY-MM-DDTHH:MM (default: the clock).")
    ] = None,
    horizon_days: Annotated[
        int | None, typer.Option(help="Planning horizon in days (default 120).", min=0)
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the outputs to this folder.")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Plan the database's open orders and store the run with all its outputs."""
    from promiseplan.dataset.write import write_outputs
    from promiseplan.pipeline import run_stored
    from promiseplan.store import RunInProgress

    engine = _database(database)
    try:
        with _refused(), _planning(quiet=False) as (progress, stage):
            run_id, result = run_stored(engine, now, horizon_days, progress, stage=stage)
    except RunInProgress as error:
        errors.print(f"[bold red]not started:[/] {error}")
        raise typer.Exit(3) from error
    if out is not None:
        write_outputs(out, result.plan.tables, result.plan.kpis)
    _summary(result.plan.kpis, result.seconds, out or Path(f"run {run_id} in the database"))


@db.command("runs")
def db_runs(database: DatabaseOption = None) -> None:
    """List the runs with their status and key figures."""
    import json

    from promiseplan.store import list_runs

    table = Table(title="Runs")
    for column in ("run", "status", "now", "on time", "late", "partial", "unconfirmed"):
        table.add_column(column, no_wrap=True)
    for run in list_runs(_database(database)):
        kpis = json.loads(run["kpis"] or "{}").get("orders_by_status", {})
        table.add_row(
            str(run["id"]),
            run["status"],
            f"{run['now']:%Y-%m-%d %H:%M}",
            *(str(kpis.get(k, "")) for k in ("on_time", "late", "partial", "unconfirmed")),
        )
    console.print(table)


@db.command("notify")
def db_notify(
    smtp_host: Annotated[
        str, typer.Option(help="SMTP server for e-mail notifications.")
    ] = "127.0.0.1",
    smtp_port: Annotated[int, typer.Option(help="Its port.")] = 25,
    sender: Annotated[
        str, typer.Option(help="From address of the e-mails.")
    ] = "promises@promiseplan.local",
    database: DatabaseOption = None,
) -> None:
    """Deliver the pending notifications (webhooks and e-mail), retrying failures with backoff."""
    from promiseplan.service.notify import NetworkNotifier, deliver

    done = deliver(_database(database), NetworkNotifier(smtp_host, smtp_port, sender))
    console.print(f"sent {done.sent}, to retry {done.retried}, given up {done.given_up}")


@db.command("add-key")
def db_add_key(
    role: Annotated[str, typer.Option(help="customer, planner or admin.")],
    customer: Annotated[
        str | None, typer.Option(help="The customer a customer key acts for.")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Create an API key (printed once; only its hash is stored)."""
    from promiseplan.store.keys import create_key

    with _refused():
        key = create_key(_database(database), role, customer)
    console.print(key, markup=False, highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    every: Annotated[str, typer.Option(help="Planning cadence, e.g. 2h, 30m, 1h30m.")] = "2h",
    smtp_host: Annotated[
        str, typer.Option(help="SMTP server for e-mail notifications.")
    ] = "127.0.0.1",
    smtp_port: Annotated[int, typer.Option(help="Its port.")] = 25,
    now: Annotated[
        str | None,
        typer.Option(
            help="Start the service's clock at YYYY-MM-DDTHH:MM (it runs on from there): "
            "for demonstrations on data of a fixed date. Default: the machine's clock."
        ),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Serve the REST API (OpenAPI at /docs), the storefront (/shop) and the planner's cockpit
    (/cockpit), and plan on a cadence, notifying customers."""
    import uvicorn

    from promiseplan.api import create_app
    from promiseplan.model.settings import parse_now
    from promiseplan.service.cadence import Cadence, parse_every
    from promiseplan.service.clock import clock_from, system_clock
    from promiseplan.service.notify import NetworkNotifier

    with _refused():
        cadence_every = parse_every(every)
        clock = system_clock if now is None else clock_from(parse_now(now))
    engine = _database(database)
    note = not_compiled_note()
    if note:
        errors.print(f"[yellow]note:[/] {note}")
    cadence = Cadence(engine, cadence_every, NetworkNotifier(smtp_host, smtp_port), clock)
    cadence.start()
    try:
        uvicorn.run(create_app(engine, clock, cadence), host=host, port=port)
    finally:
        cadence.stop()


def not_compiled_note() -> str | None:
    """What a service's first run would wait for, unless the fast engine is compiled."""
    from promiseplan.machine_code import is_cached

    if is_cached():
        return None
    return (
        "the fast engine is not compiled for this machine yet: the first run, and the first "
        "online promises, on 20,000 order lines or more compile it (minutes); "
        "`promiseplan compile` does it ahead"
    )


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the output files.")] = Path(
        "out/demo"
    ),
) -> None:
    """Plan the bundled flower-shop example and show where the outputs are."""
    source = example_dataset()
    console.print(f"Planning the bundled flower-shop example ({source})")
    _plan(source, out, None, None, quiet=False)
    console.print("Open [bold]confirmations.csv[/] for every promise and its reason.")


@app.command("compile")
def compile_engine(
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Only say whether it is compiled (exit code 1 if not); compile nothing."
        ),
    ] = False,
) -> None:
    """Compile the fast engine for this processor into its cache now, instead of in the first
    run that needs it (runs of 20,000 order lines or more, and online promises on them): a minute
    or two, once per machine and version of the engine; later runs load it in under a second."""
    from promiseplan.machine_code import cache_folder, is_cached, prepare

    if check:
        cached = is_cached()
        state = "compiled" if cached else "not compiled"
        console.print(
            f"fast engine {state} for this processor; cache: {cache_folder()}", soft_wrap=True
        )
        raise typer.Exit(0 if cached else 1)
    with errors.status("looking in the cache") as status:
        ready = prepare(status.update)
    done = "compiled" if ready.compiled else "already compiled, loaded"
    console.print(
        f"fast engine {done} in {ready.seconds:.1f} s; cache: {ready.folder}", soft_wrap=True
    )


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
