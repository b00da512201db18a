"""Checks across rows and tables: duplicate keys, unknown references, cycles in the bill of materials."""

from __future__ import annotations

import polars as pl

from promiseplan.dataset.issues import Issue
from promiseplan.dataset.read import ROW
from promiseplan.dataset.schema import TABLES, Table


def duplicate_keys(table: Table, file: str, frame: pl.DataFrame) -> list[Issue]:
    if not table.key:
        return []
    key = list(table.key)
    rows = (
        frame.drop_nulls(key)
        .with_columns(pl.col(ROW).min().over(key).alias("_first"))
        .filter(pl.col(ROW) != pl.col("_first"))
        .sort(ROW)
    )
    issues = []
    for record in rows.select([ROW, "_first", *key]).iter_rows(named=True):
        named = ", ".join(f"{k}={record[k]}" for k in key)
        issues.append(
            Issue(
                file,
                record[ROW],
                key[-1],
                f"duplicate key ({named}), first at row {record['_first']}",
            )
        )
    return issues


def unknown_references(
    table: Table, file: str, frame: pl.DataFrame, frames: dict[str, pl.DataFrame]
) -> list[Issue]:
    issues: list[Issue] = []
    for ref in table.references:
        target = frames.get(ref.table)
        if target is None:
            continue
        known = target.select(
            [pl.col(t).alias(c) for c, t in zip(ref.columns, ref.target, strict=True)]
        ).unique()
        own = list(ref.columns)
        missing = frame.drop_nulls(own).join(known, on=own, how="anti").sort(ROW)
        target_file = TABLES[ref.table].file
        for record in missing.select([ROW, *own]).iter_rows(named=True):
            if len(own) == 1:
                what = f"unknown {ref.target[0]} '{record[own[0]]}' (not in {target_file})"
            else:
                named = ", ".join(f"{t}={record[c]}" for c, t in zip(own, ref.target, strict=True))
                what = f"unknown {ref.table.rstrip('s')} ({named}) (not in {target_file})"
            issues.append(Issue(file, record[ROW], own[0], what))
    return issues


def bom_cycles(file: str, bom: pl.DataFrame) -> list[Issue]:
    """One issue per cycle: an item that, through its components, needs itself."""
    rows = bom.drop_nulls(["item", "location", "component"]).select(
        "item", "location", "component", ROW
    )
    if not _in_cycles(rows).height:
        return []
    edges: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for item, location, component, row in rows.iter_rows():
        edges.setdefault((location, item), []).append((component, row))
    state: dict[tuple[str, str], int] = {}  # 1 on the path, 2 done
    issues: list[Issue] = []
    for start in sorted(edges):
        if state.get(start):
            continue
        path: list[tuple[str, str]] = [start]
        iters = [iter(edges.get(start, []))]
        state[start] = 1
        while iters:
            step = next(iters[-1], None)
            if step is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            component, row = step
            node = (path[-1][0], component)
            if state.get(node) == 1:
                loop = [p[1] for p in path[path.index(node) :]] + [component]
                issues.append(
                    Issue(
                        file,
                        row,
                        "component",
                        f"cycle in the bill of materials at {node[0]}: {' -> '.join(loop)}",
                    )
                )
            elif not state.get(node):
                state[node] = 1
                path.append(node)
                iters.append(iter(edges.get(node, [])))
    return issues


def _in_cycles(edges: pl.DataFrame) -> pl.DataFrame:
    """The edges left once every edge into a component that needs nothing is peeled off, level
    by level: none when the bill of materials has no cycle (a walk of every path, which finds
    and names each cycle, is needed only otherwise)."""
    while edges.height:
        makers = edges.select("location", pl.col("item").alias("component")).unique()
        left = edges.join(makers, on=["location", "component"], how="semi")
        if left.height == edges.height:
            break
        edges = left
    return edges
