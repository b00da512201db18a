"""A dataset sent as one file (a zip of table files, or an Excel workbook) unpacked to where
``load_dataset`` reads it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from promiseplan.dataset.issues import DatasetError, Issue
from promiseplan.dataset.schema import INPUT_TABLES

WORKBOOK_MAGIC = b"PK\x03\x04"
_WANTED = {t.file for t in INPUT_TABLES} | {f"{t.name}.parquet" for t in INPUT_TABLES}
_WANTED |= {"settings.toml"}
MAX_UNPACKED = 2 * 1024**3


def unpack(name: str, content: bytes, folder: Path) -> Path:
    """Write ``content`` under ``folder``; the path to load. A zip may hold its tables in a
    sub-folder; only files the contract names are taken. Raises DatasetError when the file is
    neither a zip of tables nor a workbook."""
    if not content.startswith(WORKBOOK_MAGIC):
        raise DatasetError([Issue(name, 0, "", "is neither a .zip of table files nor an .xlsx")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise DatasetError([Issue(name, 0, "", f"cannot be read: {error}")]) from error
    if any(m.filename == "[Content_Types].xml" for m in members):
        workbook = folder / "dataset.xlsx"
        workbook.write_bytes(content)
        return workbook
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise DatasetError([Issue(name, 0, "", "unpacks to more than 2 GiB")])
    target = folder / "dataset"
    target.mkdir()
    seen: dict[str, str] = {}
    for member in members:
        base = PurePosixPath(member.filename).name  # never a path from the archive itself
        if member.is_dir() or base not in _WANTED:
            continue
        if base in seen:
            what = f"holds {base} twice ({seen[base]} and {member.filename})"
            raise DatasetError([Issue(name, 0, "", what)])
        seen[base] = member.filename
        (target / base).write_bytes(archive.read(member))
    return target
