"""Where the fast engine's compiled decisions spend their time, function by function.

    .venv/bin/python benchmarks/profile.py [--lines 100000] [--top 25] [--annotate FUNCTION]

A child process loads a `scale` dataset (generated once into benchmarks/data/scale-N, seed 1)
and the compiled code as `benchmarks/decisions.py` does, then decides every order chunk by
chunk while `perf record -e cpu-clock` samples it. perf cannot name code that numba compiled
at run time, so the child writes the map perf reads for such code (/tmp/perf-PID.map): the
functions of the compiled decisions, from the symbol table of their object code in numba's
cache, placed by the address of the entry point. Prints the share of the samples of each
function (the variants numba compiles of one function summed) and of the rest (Python,
libraries, the kernel). perf starts disabled and is enabled through its control pipe once it
has read the child's memory map (given a minute for it: a process holding a million lines took
longer than perf's default half second, and its compiled code then went unnamed). Needs Linux
perf (Debian's linux-perf) and binutils' nm; a function that the compiler inlined counts as
part of its caller. With --annotate (a name as the report prints it, such as search._search),
the --top instructions of that function that most samples fell on are printed too, each after
the four before it, from the object code in numba's cache (binutils' objdump).
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from decisions import parse_or_run_child, wait_for


def _object_code(data: Any) -> bytes | None:
    """The ELF object inside what numba's cache holds for a compiled function."""
    if isinstance(data, bytes) and data[:4] == b"\x7fELF":
        return data
    if isinstance(data, tuple | list):
        for part in data:
            found = _object_code(part)
            if found is not None:
                return found
    return None


def _short(symbol: str) -> str:
    """``module.function`` of a numba symbol (``_ZN<len>name...B<...>``)."""
    body = symbol.split("_ZN", 1)[-1]
    pieces = []
    while body[:1].isdigit():
        digits = re.match(r"\d+", body)
        assert digits is not None
        size = int(digits.group())
        start = len(digits.group())
        pieces.append(body[start : start + size])
        body = body[start + size :]
    wrapper = symbol.startswith(("cfunc.", "_ZN7cpython"))
    return ".".join(pieces[-2:]) + (" (entry wrapper)" if wrapper else "")


def _functions(table: str) -> list[tuple[int, int, str]]:
    """Offset, size and name of each function in ``nm -S``'s table of an object file."""
    symbols = []
    for line in table.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in ("T", "t", "W", "w"):
            symbols.append((int(fields[0], 16), int(fields[1], 16), fields[3]))
    return symbols


def write_perf_map(dispatcher: Any, path: Path, object_file: Path | None = None) -> int:
    """Write the perf map of ``dispatcher``'s compiled code (its one signature, loaded from
    numba's cache), and that code to ``object_file`` if given; how many functions it names."""
    from numba.core.registry import cpu_target

    signature = dispatcher.signatures[0]
    result = dispatcher.overloads[signature]
    codegen = cpu_target.target_context.codegen()
    cache = dispatcher._cache
    code = _object_code(cache._cache_file.load(cache._index_key(signature, codegen)))
    if code is None:
        raise SystemExit("numba's cache holds no object code for the decisions")
    entry_name = result.fndesc.llvm_func_name
    entry = result.library.get_pointer_to_function(entry_name)
    with tempfile.NamedTemporaryFile(suffix=".o") as handle:
        handle.write(code)
        handle.flush()
        table = subprocess.run(
            ["nm", "-S", handle.name], capture_output=True, text=True, check=True
        ).stdout
    symbols = _functions(table)
    base = next(offset for offset, _, name in symbols if name == entry_name)
    if object_file is not None:
        object_file.write_bytes(code)
    with path.open("w") as out:
        for offset, size, name in symbols:
            out.write(f"{entry + offset - base:x} {size:x} {_short(name)}\n")
    return len(symbols)


def child(lines: int, signals: Path) -> None:
    from decisions import decide_on_signal

    from promiseplan.engine.fast.decide import decide_orders

    perf_map = Path(f"/tmp/perf-{os.getpid()}.map")

    def map_the_code() -> None:
        named = write_perf_map(decide_orders, perf_map, signals / "decisions.o")
        print(f"{named} compiled functions mapped", file=sys.stderr)

    decide_on_signal(lines, signals, map_the_code)
    while not (signals / "reported").exists():  # perf report reads the map of this process
        time.sleep(0.05)
    perf_map.unlink()


def report(data: Path, top: int, compiled: set[str]) -> list[tuple[float, str]]:
    """The ``top`` shares of the samples by function, the ``compiled`` ones by name and the
    rest together."""
    text = subprocess.run(
        ["perf", "report", "-i", str(data), "--sort", "symbol", "--stdio"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shares: dict[str, float] = defaultdict(float)
    for line in text.splitlines():
        match = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(.+)$", line)
        if match:
            share, space = float(match.group(1)), match.group(2)
            name = re.split(r"\s{2,}", match.group(3).strip())[0]
            mine = space == "." and name in compiled
            shares[name if mine else "(other: Python, libraries, kernel)"] += share
    ranked = sorted(((share, name) for name, share in shares.items()), reverse=True)
    return ranked[:top]


def annotate(
    data: Path, object_file: Path, perf_map: list[str], function: str, top: int
) -> list[str]:
    """The ``top`` instructions of the compiled ``function`` (``module.name``, as the report
    names it) that most samples fell on, each with the instructions before it: a
    sample usually falls on the instruction after the one that waited (a load that missed
    the cache, say). Variants of one function are counted as one."""
    table = subprocess.run(
        ["nm", "-S", str(object_file)], capture_output=True, text=True, check=True
    ).stdout
    # the map was written from this table, symbol by symbol in the same order
    starts: dict[int, tuple[int, int]] = {}  # address in the process -> offset in the code, size
    for (offset, size, name), line in zip(_functions(table), perf_map, strict=True):
        if _short(name) == function:
            starts[int(line.split(" ", 1)[0], 16)] = (offset, size)
    if not starts:
        raise SystemExit(f"no compiled function named {function}")
    script = subprocess.run(
        ["perf", "script", "-i", str(data), "-F", "ip,sym"], capture_output=True, text=True
    ).stdout
    counts: dict[int, int] = defaultdict(int)
    total = 0
    for line in script.splitlines():
        fields = line.split()
        if len(fields) < 2 or fields[1] != function:
            continue
        ip = int(fields[0], 16)
        for start, (offset, size) in starts.items():
            if start <= ip < start + size:
                counts[offset + ip - start] += 1
                total += 1
    listing = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", str(object_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    code: dict[int, str] = {}
    for line in listing.splitlines():
        match = re.match(r"\s*([0-9a-f]+):\s+(.*)$", line)
        if match:  # a jump's target named by its address only: numba's names are long
            code[int(match.group(1), 16)] = re.sub(r"\s*<[^>]*>", "", match.group(2))
    addresses = sorted(code)
    lines = [f"{total} samples in {function}; its hottest instructions:"]
    for address, count in sorted(counts.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"{100 * count / total:6.2f} %  at {address:x}")
        at = addresses.index(address) if address in code else -1
        lines += [f"            {b:x}: {code[b]}" for b in addresses[max(0, at - 4) : at + 1]]
    return lines


def _opened_by(recorder: subprocess.Popen[bytes], control: Path) -> int:
    """``control`` opened for writing once perf has opened it; stops if perf ends first (it
    cannot attach, say), where a blocking open would wait forever."""
    while True:
        try:
            return os.open(control, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
        if recorder.poll() is not None:
            raise SystemExit(f"perf record ended before recording (exit {recorder.returncode})")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--annotate", metavar="FUNCTION", help="the hottest instructions of one compiled function"
    )
    arguments = parse_or_run_child(parser, child)
    if arguments is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        signals = Path(folder)
        process = subprocess.Popen(
            [sys.executable, __file__, "--lines", str(arguments.lines), "--child", folder],
            cwd=Path(__file__).parent,
        )
        wait_for(signals / "ready", process)
        data = signals / "perf.data"
        pid = (signals / "ready").read_text()
        control, acknowledged = signals / "control", signals / "acknowledged"
        os.mkfifo(control)
        os.mkfifo(acknowledged)
        # perf reads the process's memory map as it attaches, within 0.5 s by default: too short
        # for a process holding a million lines, whose compiled code then went unnamed. It
        # starts disabled and says when it is enabled, which it does once attached.
        sampling = ["-e", "cpu-clock", "-F", "2000", "--proc-map-timeout", "60000"]
        controlled = ["-D", "-1", f"--control=fifo:{control},{acknowledged}"]
        recorder = subprocess.Popen(
            ["perf", "record", "-q", *sampling, *controlled, "-p", pid, "-o", str(data)]
        )
        commands = _opened_by(recorder, control)
        try:
            os.write(commands, b"enable\n")
            with acknowledged.open() as answers:  # perf holds both pipes open, read and write
                if answers.readline().strip() != "ack":
                    raise SystemExit("perf did not start recording")
        finally:
            os.close(commands)
        (signals / "go").write_text("")
        wait_for(signals / "done", process)
        recorder.send_signal(signal.SIGINT)
        recorder.wait()
        perf_map = Path(f"/tmp/perf-{pid}.map").read_text().splitlines()
        ranked = report(data, arguments.top, {line.split(" ", 2)[2] for line in perf_map})
        hottest = []
        if arguments.annotate:
            hottest = annotate(
                data, signals / "decisions.o", perf_map, arguments.annotate, arguments.top
            )
        (signals / "reported").write_text("")
        process.wait()
        seconds = (signals / "done").read_text()
    print(f"{arguments.lines} lines decided in {seconds} s under perf; share of samples:")
    for share, name in ranked:
        print(f"{share:6.2f} %  {name}")
    for line in hottest:
        print(line)


if __name__ == "__main__":
    main()
