"""The independent plan validator: recomputes the guarantees of planning.md from a dataset and
the output files alone. It shares no code with the engine."""

from promiseplan.check.guarantees import check_outputs, check_tables

__all__ = ["check_outputs", "check_tables"]
