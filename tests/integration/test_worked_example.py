"""The worked example of planning.md, worked out there by hand."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import pick, plan_folder


def test_worked_example_of_planning_md(worked_example: Path, tmp_path: Path) -> None:
    out = plan_folder(worked_example, tmp_path / "out")
    confirmations = pick(
        out["confirmations"],
        "order",
        "line",
        "quantity",
        "status",
        "promised_date",
        "ship_date",
        "ship_from",
        "mode",
    )
    assert confirmations == [
        # X: TEA bought (50, the minimum) ordered 06-02, at A 06-07, arriving 06-09; the MUG
        # ships with it in the second pass.
        ("X", "1", "2", "on_time", "2026-06-09", "2026-06-07", "A", "van"),
        ("X", "2", "30", "on_time", "2026-06-09", "2026-06-07", "A", "van"),
        # Y: 18 MUG left ship 06-03 and arrive on the requested 06-05; 12 bought from CUPCO.
        ("Y", "1", "18", "on_time", "2026-06-05", "2026-06-03", "A", "van"),
        ("Y", "1", "12", "late", "2026-06-07", "2026-06-05", "A", "van"),
        # Z: 10 hours of POUR over 06-02 and 06-03, available 06-04, promised 06-06.
        ("Z", "1", "20", "on_time", "2026-06-06", "2026-06-04", "A", "van"),
    ]
    assert pick(out["orders"], "order", "status", "promised_date") == [
        ("X", "on_time", "2026-06-09"),
        ("Y", "late", "2026-06-07"),
        ("Z", "on_time", "2026-06-06"),
    ]
    assert pick(
        out["procurement_plan"],
        "supplier",
        "item",
        "location",
        "quantity",
        "order_date",
        "arrival_date",
    ) == [
        ("CUPCO", "MUG", "A", "12", "2026-06-02", "2026-06-05"),
        ("LEAF", "TEA", "A", "50", "2026-06-02", "2026-06-07"),
    ]
    assert pick(
        out["production_plan"], "item", "resource", "quantity", "start_date", "end_date", "hours"
    ) == [("CANDLE", "POUR", "20", "2026-06-02", "2026-06-04", "10.0")]
    reasons = {(r["order"], r["quantity"]): r["reason"] for r in out["confirmations"]}
    assert reasons["X", "30"].startswith("lead_time: no TEA at A until the purchase from LEAF")
    assert reasons["Y", "18"].startswith("stock:")
    assert reasons["Y", "12"].startswith(
        "lead_time: no MUG at A until the purchase from CUPCO arrives"
    )


def test_same_dataset_gives_byte_identical_outputs(worked_example: Path, tmp_path: Path) -> None:
    plan_folder(worked_example, tmp_path / "a")
    plan_folder(worked_example, tmp_path / "b")
    for file in sorted((tmp_path / "a").glob("*.csv")):
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes(), file.name
