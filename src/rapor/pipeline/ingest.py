"""Ingest: find each raw input file, fingerprint it and expose it to the engine as
`raw_<source>`."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from rapor.pipeline.engine import Engine
from rapor.pipeline.models import SQL_DIR

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


class InputError(Exception):
    """A raw input is missing, ambiguous, unreadable or lacks a documented column."""


@dataclass(frozen=True)
class RawInput:
    source: str
    path: Path
    sha256: str
    rows: int


def sources() -> list[dict]:
    """The raw sources the pipeline expects (`sql/staging/_sources.yml`)."""
    spec = yaml.safe_load((SQL_DIR / "staging" / "_sources.yml").read_text(encoding="utf-8"))
    return spec["sources"]


def register_inputs(engine: Engine, raw_dir: Path) -> list[RawInput]:
    """Register every raw source and the shipped region reference as views; return their facts."""
    inputs = [
        _register(engine, "regions", REFERENCE_DIR / "regions.csv", ["code", "name", "level"])
    ]
    for source in sources():
        inputs.append(
            _register(engine, source["name"], _find(raw_dir, source["name"]), source["columns"])
        )
    return inputs


def input_checksums(raw_dir: Path) -> dict[str, str]:
    """The sha256 of every input a build would read, by source, as its manifest records them."""
    paths = {"regions": REFERENCE_DIR / "regions.csv"}
    paths |= {source["name"]: _find(raw_dir, source["name"]) for source in sources()}
    return {source: _sha256(path) for source, path in paths.items()}


def _find(raw_dir: Path, source: str) -> Path:
    candidates = [raw_dir / f"{source}.{ext}" for ext in ("parquet", "csv")]
    for path in candidates:
        if path.exists() and not path.is_file():
            kind = "a directory" if path.is_dir() else "not a regular file"
            raise InputError(f"{path}: is {kind}; expected the {source} input file")
    found = [path for path in candidates if path.is_file()]
    if not found:
        raise InputError(f"{raw_dir}: missing input {source}.parquet (or {source}.csv)")
    if len(found) > 1:
        raise InputError(f"{raw_dir}: both {source}.parquet and {source}.csv exist; keep one")
    return found[0]


def _register(engine: Engine, source: str, path: Path, columns: list[str]) -> RawInput:
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty")
    try:
        found = engine.read_raw(f"raw_{source}", path)
        missing = [column for column in columns if column not in found]
        if missing:
            # A CSV row with more fields than the header can make DuckDB miss the header row.
            problem = _csv_problem(path) if path.suffix == ".csv" else None
            raise InputError(f"{path}: {problem or 'missing column(s) ' + ', '.join(missing)}")
        ((rows,),) = engine.sql(f"select count(*) from raw_{source}")
    except engine.read_errors as error:
        problem = _csv_problem(path) if path.suffix == ".csv" else None
        raise InputError(f"{path}: cannot be read: {problem or error}") from error
    return RawInput(source=source, path=path, sha256=_sha256(path), rows=rows)


class _NotUtf8(Exception):
    def __init__(self, line: int, byte: int) -> None:
        super().__init__(line, byte)
        self.line, self.byte = line, byte


def _utf8_lines(stream) -> Iterator[str]:
    for number, line in enumerate(stream, start=1):
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _NotUtf8(number, line[error.start]) from None


def _csv_problem(path: Path) -> str | None:
    """Why a CSV cannot be read, in words whoever delivered it can act on (None when no reason is
    found: the engine's own message is shown). Only called after reading failed, so its speed does
    not matter; line numbers count the header as line 1."""
    with path.open("rb") as stream:
        first = stream.readline()
        if first[:2] in (b"\xff\xfe", b"\xfe\xff") or first.count(b"\x00") * 3 > len(first):
            return "the file is UTF-16 text, not UTF-8; save it as UTF-8"
        if b"," not in first and any(sep in first for sep in (b";", b"\t", b"|")):
            return "line 1: the columns are not separated by commas"
        stream.seek(0)
        reader = csv.reader(_utf8_lines(stream), strict=True)
        try:
            header = next(reader, [])
            for row in reader:
                if row and len(row) != len(header):
                    return (
                        f"line {reader.line_num} has {len(row)} fields where the header has "
                        f"{len(header)} (a truncated file, or a comma in an unquoted value?)"
                    )
        except _NotUtf8 as error:
            return (
                f"line {error.line} is not UTF-8 text (byte 0x{error.byte:02x}; Latin-1 or "
                "Windows-1252?); save the file as UTF-8"
            )
        except csv.Error as error:
            return (
                f"line {reader.line_num} is not valid CSV ({error}): a truncated file, or a "
                "quote that is not closed?"
            )
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
