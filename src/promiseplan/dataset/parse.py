"""Turning raw text cells into typed columns, with an issue for every cell that does not parse."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import polars as pl

from promiseplan.dataset.issues import Issue
from promiseplan.dataset.read import ROW, RawTable
from promiseplan.dataset.schema import WEEKDAYS, Column, Kind, Table

_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
)
_TRUE = ("true", "1", "yes", "y", "t")
_FALSE = ("false", "0", "no", "n", "f")
_WEEKDAY_INDEX = {name.lower(): i for i, name in enumerate(WEEKDAYS)}

Problems = list[tuple[pl.Series, str]]
"""Masks of bad cells, each with its message (``{value}`` is replaced by the cell)."""


def weekday_mask(text: str | None) -> int | None:
    """``"Sat Sun"`` -> bit mask with bit 0 for Monday; None when a name is not a weekday."""
    mask = 0
    for token in (text or "").replace(",", " ").split():
        index = _WEEKDAY_INDEX.get(token.lower()) if len(token) == 3 else None
        if index is None:
            full = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
            if token.lower() not in full:
                return None
            index = _WEEKDAY_INDEX[token.lower()[:3]]
        mask |= 1 << index
    return mask


def parse_table(table: Table, raw: RawTable) -> tuple[pl.DataFrame, list[Issue]]:
    """Typed frame (schema columns plus ``_row``) and the issues of its cells."""
    frame = raw.frame
    issues: list[Issue] = []
    typed: list[pl.Series] = [frame[ROW]]
    rows = frame[ROW]
    for column in table.columns:
        if column.name not in frame.columns:
            typed.append(_default_series(column, frame.height))
            continue
        text = frame[column.name]
        value, problems = _convert(column, text)
        if column.required:
            problems.insert(0, (text.is_null(), "is empty"))
        for bad, message in problems:
            for r, cell in zip(rows.filter(bad), text.filter(bad), strict=True):
                issues.append(Issue(raw.file, r, column.name, message.format(value=cell)))
            value = value.set(bad, None)
        if column.default is not None:
            value = value.fill_null(_default_series(column, 1)[0])
        typed.append(value.alias(column.name))
    return pl.DataFrame(typed), issues


def _default_series(column: Column, height: int) -> pl.Series:
    default = column.default
    if column.kind is Kind.WEEKDAYS:
        default = weekday_mask(str(default or ""))
    return pl.Series(column.name, [default] * height, dtype=_DTYPES[column.kind])


_DTYPES: dict[Kind, pl.DataType] = {
    Kind.ID: pl.String(),
    Kind.TEXT: pl.String(),
    Kind.ENUM: pl.String(),
    Kind.MODES: pl.String(),
    Kind.INT: pl.Int64(),
    Kind.FLOAT: pl.Float64(),
    Kind.DATE: pl.Date(),
    Kind.DATETIME: pl.Datetime("us"),
    Kind.BOOL: pl.Boolean(),
    Kind.WEEKDAYS: pl.Int64(),
}


def _convert(column: Column, text: pl.Series) -> tuple[pl.Series, Problems]:
    present = text.is_not_null()
    kind = column.kind
    if kind in (Kind.ID, Kind.TEXT, Kind.MODES):
        return text, []
    if kind is Kind.ENUM:
        bad = present & ~text.is_in(list(column.choices))
        return text, [(bad, "'{value}' is not one of: " + ", ".join(column.choices))]
    if kind is Kind.BOOL:
        low = text.str.to_lowercase()
        value = (
            pl.select(
                pl.when(pl.lit(low).is_in(_TRUE))
                .then(True)
                .when(pl.lit(low).is_in(_FALSE))
                .then(False)
                .otherwise(None)
            )
            .to_series()
            .alias(text.name)
        )
        return value, [(present & value.is_null(), "'{value}' is not true or false")]
    if kind is Kind.DATE:
        value = _first_parsed(
            text, [_date, *(partial(_datetime_date, form=f) for f in _DATETIME_FORMATS)]
        )
        return value, [(present & value.is_null(), "'{value}' is not a date (YYYY-MM-DD)")]
    if kind is Kind.DATETIME:
        value = _first_parsed(
            text,
            [*(partial(_datetime, form=f) for f in _DATETIME_FORMATS), _date_at_midnight],
        )
        return value, [
            (present & value.is_null(), "'{value}' is not a date-time (YYYY-MM-DDTHH:MM)")
        ]
    if kind is Kind.WEEKDAYS:
        masks = {cell: weekday_mask(cell) for cell in text.drop_nulls().unique()}
        value = text.replace_strict(masks, default=None, return_dtype=pl.Int64())
        bad = present & value.is_null()
        return value, [(bad, "'{value}' is not a list of weekdays (Mon Tue Wed Thu Fri Sat Sun)")]
    return _convert_number(column, text, present)


def _convert_number(
    column: Column, text: pl.Series, present: pl.Series
) -> tuple[pl.Series, Problems]:
    number = text.cast(pl.Float64, strict=False)
    bad = present & (number.is_null() | number.is_nan() | number.is_infinite())
    whole = column.kind is Kind.INT
    problems: Problems = [
        (bad, "'{value}' is not a whole number" if whole else "'{value}' is not a number")
    ]
    fine = present & ~bad
    if whole:
        fraction = fine & (number.round(0) != number)
        problems.append((fraction, "'{value}' is not a whole number"))
        fine = fine & ~fraction
    if column.minimum is not None:
        below = "is negative" if column.minimum == 0 else f"is below the minimum {column.minimum:g}"
        problems.append((fine & (number < column.minimum), "'{value}' " + below))
    if column.maximum is not None:
        problems.append(
            (
                fine & (number > column.maximum),
                "'{value}' is above the maximum " + f"{column.maximum:g}",
            )
        )
    return (number.cast(pl.Int64, strict=False) if whole else number), problems


def _first_parsed(text: pl.Series, parsers: list[Callable[[pl.Series], pl.Series]]) -> pl.Series:
    """Row by row, the value of the first parser that reads the text (null when none does).
    Each parser after the first reads only the rows the ones before it could not: a column
    in one format is read once."""
    value = parsers[0](text)
    for parse in parsers[1:]:
        unread = (value.is_null() & text.is_not_null()).arg_true()
        if unread.is_empty():
            break
        value = value.scatter(unread, parse(text.gather(unread)))
    return value


def _date(text: pl.Series) -> pl.Series:
    return text.str.to_date("%Y-%m-%d", strict=False)


def _datetime(text: pl.Series, form: str) -> pl.Series:
    return text.str.to_datetime(form, strict=False, time_unit="us")


def _datetime_date(text: pl.Series, form: str) -> pl.Series:
    return _datetime(text, form).dt.date()


def _date_at_midnight(text: pl.Series) -> pl.Series:
    return _date(text).cast(pl.Datetime("us"))
