"""Output files written past the page cache hold exactly the bytes given, whatever their length
against the aligned blocks, and fall back to the usual writes where direct ones are refused."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import IO, Any, cast

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promiseplan.dataset.direct import BLOCK, BUFFER, DirectFile

EDGES = [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, BUFFER - 1, BUFFER, BUFFER + 1, 2 * BUFFER + 7]


def _pieces(sizes: list[int]) -> list[bytes]:
    return [bytes((k * 7 + n) % 251 for n in range(size)) for k, size in enumerate(sizes)]


@pytest.mark.parametrize("size", EDGES)
def test_a_file_holds_the_bytes_written_at_every_edge_of_a_block(tmp_path: Path, size: int) -> None:
    (data,) = _pieces([size])
    with DirectFile(tmp_path / "out.csv") as file:
        assert file.write(data) == size
    assert (tmp_path / "out.csv").read_bytes() == data


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 100, BLOCK - 3, BLOCK, 3 * BLOCK + 5, BUFFER // 2 + 1])))
def test_many_writes_come_out_in_order(sizes: list[int]) -> None:
    pieces = _pieces(sizes)
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"direct-{os.getpid()}.bin"
    try:
        with DirectFile(path) as file:
            for piece in pieces:
                file.write(memoryview(piece))
        assert path.read_bytes() == b"".join(pieces)
    finally:
        path.unlink(missing_ok=True)


def test_polars_writes_the_same_csv_through_it(tmp_path: Path) -> None:
    frame = pl.DataFrame({"order": [f"SO{k:07d}" for k in range(50_000)], "reason": "stock: a, b"})
    with DirectFile(tmp_path / "direct.csv") as file:
        frame.write_csv(cast(IO[bytes], file))
    frame.write_csv(tmp_path / "usual.csv")
    assert (tmp_path / "direct.csv").read_bytes() == (tmp_path / "usual.csv").read_bytes()


def test_a_file_system_that_refuses_direct_opens_gets_the_usual_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = os.open

    def refuse_direct(path: Any, flags: int, mode: int = 0o777) -> int:
        if flags & getattr(os, "O_DIRECT", 0):
            raise OSError(errno.EINVAL, "Invalid argument")
        return opened(path, flags, mode)

    monkeypatch.setattr(os, "open", refuse_direct)
    (data,) = _pieces([BUFFER + BLOCK + 3])
    with DirectFile(tmp_path / "out.csv") as file:
        file.write(data)
        assert not file.direct
    assert (tmp_path / "out.csv").read_bytes() == data


@pytest.mark.skipif(not hasattr(os, "O_DIRECT"), reason="no direct writes on this system")
def test_a_refused_direct_write_goes_on_through_the_page_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    written = os.write

    def refuse_direct(fd: int, data: Any) -> int:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT:
            raise OSError(errno.EINVAL, "Invalid argument")
        return written(fd, data)

    monkeypatch.setattr(os, "write", refuse_direct)
    (data,) = _pieces([2 * BUFFER + 11])
    with DirectFile(tmp_path / "out.csv") as file:
        file.write(data)
    assert not file.direct
    assert (tmp_path / "out.csv").read_bytes() == data


def test_other_errors_are_not_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space"), DirectFile(tmp_path / "out.csv") as file:
        file.write(bytes(BUFFER))


def test_direct_writes_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMISEPLAN_DIRECT_WRITES", "0")
    (data,) = _pieces([BLOCK + 1])
    with DirectFile(tmp_path / "out.csv") as file:
        file.write(data)
        assert not file.direct
    assert (tmp_path / "out.csv").read_bytes() == data
