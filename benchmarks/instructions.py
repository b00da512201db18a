"""The fast engine's compiled decisions counted by callgrind: instructions and simulated cache
misses, the same on every run, where timings on a shared virtual machine swing by 10-20 %.

    .venv/bin/python benchmarks/instructions.py [--lines 100000] [--out FILE]

Runs a child process under `valgrind --tool=callgrind --cache-sim=yes` with instrumentation
switched off; the child loads a `scale` dataset (generated once into benchmarks/data/scale-N,
seed 1), builds and indexes the problem and loads the compiled code, then waits while this
process switches instrumentation on (`callgrind_control -i on`); it decides every order chunk
by chunk as a run does, and instrumentation is switched off again. Prints the counted events
(instructions Ir, data reads Dr and writes Dw, first-level and last-level misses) and a
digest of the decided rows: two versions of the engine that decide alike print the same
digest. At 100,000 lines it takes about ten minutes (valgrind runs the code some fifty times
slower). Needs valgrind (Debian's package).

On a processor whose features differ from those valgrind reports (AVX-512, say), the child
would not find the compiled code in numba's cache and would compile it under valgrind, which
takes hours: `--generic` compiles (once) and counts code for a generic x86-64 processor
instead (NUMBA_CPU_NAME=generic), the same key in and out of valgrind; `--cpu NAME` does the
same for a processor LLVM names (`haswell`: AVX2, which valgrind runs). numba's key also holds
the processor's features, some of which valgrind hides from the child (seen: adx, sha, vaes,
clwb and 13 more): with `--generic` or `--cpu`, the features numba sees outside valgrind are
named to both children (NUMBA_CPU_FEATURES, unless already set), so that the child under
valgrind counts the code the first child cached, not code it compiled itself for fewer
features. Counts for different processors are not comparable with each other. Code that relies on
vector instructions to be fast counts more for the generic processor (it has no 64-bit vector
minimum) than for the machines the engine runs on: compare such versions with `--cpu haswell`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from decisions import parse_or_run_child, wait_for


def child(lines: int, signals: Path) -> None:
    from decisions import decide_on_signal

    decided = decide_on_signal(lines, signals)
    digest = hashlib.sha256(b"".join(rows.tobytes() for rows in decided)).hexdigest()[:16]
    (signals / "digest").write_text(digest)


def _host_features() -> str:
    """The processor features numba compiles for on this machine (outside valgrind)."""
    from numba.core.registry import cpu_target

    return str(cpu_target.target_context.codegen().magic_tuple()[2])


def _control(switch: str, pid: int) -> None:
    subprocess.run(["callgrind_control", "-i", switch, str(pid)], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, help="keep callgrind's output file here")
    parser.add_argument("--generic", action="store_true", help="count code for a generic CPU")
    parser.add_argument("--cpu", help="count code for this processor (an LLVM CPU name)")
    arguments = parse_or_run_child(parser, child)
    if arguments is None:
        return
    environment = dict(os.environ)
    cpu = "generic" if arguments.generic else arguments.cpu
    if cpu:
        environment["NUMBA_CPU_NAME"] = cpu
        environment.setdefault("NUMBA_CPU_FEATURES", _host_features())
    child_command = [sys.executable, __file__, "--lines", str(arguments.lines), "--child"]
    if cpu:
        with tempfile.TemporaryDirectory() as folder:  # compiled natively into the cache first
            (Path(folder) / "go").touch()
            subprocess.run([*child_command, folder], env=environment, check=True)
    with tempfile.TemporaryDirectory() as folder:
        signals = Path(folder)
        out = arguments.out or signals / "callgrind.out"
        command = [
            *("valgrind", "--tool=callgrind", "--instr-atstart=no", "--cache-sim=yes"),
            f"--callgrind-out-file={out}",
            *child_command,
            folder,
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment
        )
        wait_for(signals / "ready", process)
        _control("on", process.pid)
        (signals / "go").touch()
        wait_for(signals / "done", process)
        _control("off", process.pid)
        if process.wait() != 0:
            raise SystemExit(f"the process under valgrind failed (exit {process.returncode})")
        events, totals = "", ""
        for line in out.read_text().splitlines():
            if line.startswith("events:"):
                events = line.split(":", 1)[1]
            elif line.startswith("totals:"):
                totals = line.split(":", 1)[1]
        digest = (signals / "digest").read_text()
    print(f"compiled decisions at {arguments.lines} lines, rows {digest}")
    for name, value in zip(events.split(), totals.split(), strict=True):
        print(f"  {name:5} {int(value):>16,}")


if __name__ == "__main__":
    main()
