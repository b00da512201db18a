"""Storage: master data, open orders and the runs with all their outputs, in SQLite by default
or PostgreSQL (``PROMISEPLAN_DATABASE_URL``), with Alembic migrations."""

from promiseplan.store.database import database_url, open_database, upgrade
from promiseplan.store.datasets import export_dataset, import_dataset, load_snapshot
from promiseplan.store.lock import RunInProgress, planning_lock
from promiseplan.store.runs import list_runs, record_failed_run, record_run, start_run

__all__ = [
    "RunInProgress",
    "database_url",
    "export_dataset",
    "import_dataset",
    "list_runs",
    "load_snapshot",
    "open_database",
    "planning_lock",
    "record_failed_run",
    "record_run",
    "start_run",
    "upgrade",
]
