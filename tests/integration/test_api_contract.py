"""The API keeps its OpenAPI contract: schemathesis generates requests for every operation from
the schema (as a planner and as a customer) and checks the answers."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CheckFunction
from schemathesis.specs.openapi.checks import positive_data_acceptance

from promiseplan.api import create_app
from promiseplan.dataset.load import load_dataset
from promiseplan.pipeline import run_stored
from promiseplan.store import import_dataset, open_database, upgrade
from promiseplan.store.keys import create_key
from tests.conftest import WORKED_EXAMPLE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_engine = open_database(f"sqlite:///{Path(tempfile.mkdtemp()) / 'contract.db'}")
upgrade(_engine)
import_dataset(_engine, load_dataset(WORKED_EXAMPLE))
run_stored(_engine, now="2026-06-02T10:00")  # so that POST /promise has a run to answer from
PLANNER = create_key(_engine, "planner")
CUSTOMER = create_key(_engine, "customer", "C1")

# Uploads: random bytes, and archives that are zips but not datasets (never a valid dataset, so
# the data the other operations see stays the worked example).
_NOT_A_DATASET = io.BytesIO()
with zipfile.ZipFile(_NOT_A_DATASET, "w") as _archive:
    _archive.writestr("orders.csv", "order,customer\n")
_UPLOADS = st.one_of(st.binary(max_size=64), st.just(_NOT_A_DATASET.getvalue()))
for _media in ("application/zip", XLSX):
    schemathesis.openapi.media_type(_media, _UPLOADS)

# Starting a run plans the whole dataset; it has its own end-to-end tests.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_engine)).exclude(
    method="POST", path="/runs"
)
# A schema-valid order may still name an unknown customer or item, which the schema cannot say:
# its 422 is right, so the check that every schema-valid request is accepted does not apply.
SEMANTIC: list[CheckFunction] = [positive_data_acceptance]


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_as_planner(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers={"X-API-Key": PLANNER}, excluded_checks=SEMANTIC)


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_as_customer(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers={"X-API-Key": CUSTOMER}, excluded_checks=SEMANTIC)
