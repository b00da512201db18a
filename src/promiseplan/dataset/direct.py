"""Writing a large file past the kernel's page cache (``O_DIRECT``), where the system allows it.

A run writes hundreds of megabytes of CSV. Written the usual way, every byte is first copied into
the page cache, for which the kernel takes free pages; on a virtual machine whose host backs
guest memory only when it is first touched (and takes back what the guest leaves free), taking
those pages cost more than formatting the CSV (about a second per 400 MB, against 0.3 s straight
to the disk). Written directly, the bytes go from one reused buffer to the disk, and the files a
run writes do not push other files out of the cache.

Direct writes must start at, and be a whole number of, aligned blocks: the last block is written
padded and the file cut back to its length. Where the file system refuses direct writes (tmpfs,
some network file systems, systems without ``O_DIRECT``), or ``PROMISEPLAN_DIRECT_WRITES=0`` is
set (a machine with cheap memory and a slow disk, where the run would wait for the disk), the
file is written the usual way."""

from __future__ import annotations

import contextlib
import errno
import mmap
import os
from pathlib import Path
from types import TracebackType

BLOCK = 4096
"""Direct writes are aligned to this (the page size; a multiple of every common block size)."""
BUFFER = 8 << 20


class DirectFile:
    """A binary file open for writing from its start, written past the page cache where the file
    system allows it; a file-like object for writers that call ``write`` (polars'
    ``write_csv``)."""

    def __init__(self, path: Path) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
        wanted = os.environ.get("PROMISEPLAN_DIRECT_WRITES", "1") != "0"
        direct = getattr(os, "O_DIRECT", 0) if wanted else 0
        self.direct = bool(direct)
        try:
            self._fd = os.open(path, flags | direct, 0o644)
        except OSError as error:
            if not direct or error.errno != errno.EINVAL:
                raise
            self._fd = os.open(path, flags, 0o644)
            self.direct = False
        self._buffer = mmap.mmap(-1, BUFFER)  # page-aligned, as direct writes need
        self._view = memoryview(self._buffer)
        self._used = 0
        self.length = 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        data = memoryview(data).cast("B")
        at = 0
        while at < len(data):
            take = min(len(data) - at, BUFFER - self._used)
            self._view[self._used : self._used + take] = data[at : at + take]
            self._used += take
            at += take
            if self._used == BUFFER:
                self._write_out(BUFFER)
        self.length += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing: the buffer is written out when full and on ``close``."""

    def close(self) -> None:
        if self._fd < 0:
            return
        try:
            if self._used:
                padded = -(-self._used // BLOCK) * BLOCK if self.direct else self._used
                self._view[self._used : padded] = bytes(padded - self._used)
                self._write_out(padded)
                if padded != self._used:
                    os.ftruncate(self._fd, self.length)
        finally:
            os.close(self._fd)
            self._fd = -1
            self._view.release()
            with contextlib.suppress(BufferError):  # a view still held by an error's traceback
                self._buffer.close()  # then the mapping goes with the traceback

    def _write_out(self, size: int) -> None:
        written = 0
        while written < size:
            try:
                written += os.write(self._fd, self._view[written:size])
            except OSError as error:
                if not self.direct or error.errno != errno.EINVAL:
                    raise
                self._buffered()  # the file system refused the direct write
        self._used = 0

    def _buffered(self) -> None:
        """Go on writing through the page cache."""
        import fcntl

        fcntl.fcntl(self._fd, fcntl.F_SETFL, fcntl.fcntl(self._fd, fcntl.F_GETFL) & ~os.O_DIRECT)
        self.direct = False

    def __enter__(self) -> DirectFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
