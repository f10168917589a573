"""Reading the catalogue folder: files -> YAML -> schema -> cross-references -> model."""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from rapor.catalogue.build import build_catalogue
from rapor.catalogue.checks import CATALOGUE, FILTERS, INDICATORS, LABEL_SETS, check_references
from rapor.catalogue.errors import CatalogueError, Problem
from rapor.catalogue.model import Catalogue
from rapor.catalogue.schema import validate_file

PACKAGE_DIR = Path(__file__).parent
# Fixed order: the checksum is computed over the files' bytes in exactly this order.
FILES = (CATALOGUE, INDICATORS, LABEL_SETS, FILTERS)


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and check the catalogue in `directory` (default: the one shipped in this package).

    Raises CatalogueError naming the file, indicator and field of every problem found.
    """
    if directory is None:
        return _load_shipped()
    return _load(Path(directory))


@functools.cache
def _load_shipped() -> Catalogue:
    # The shipped files never change while the process runs, so parse them once.
    return _load(PACKAGE_DIR)


def _load(directory: Path) -> Catalogue:
    raw = _read_files(directory)
    docs = _parse_files(raw)
    _raise_if_any([p for name in FILES for p in validate_file(name, docs[name])])
    _raise_if_any(check_references(docs))
    return build_catalogue(docs, checksum(raw))


def checksum(raw: dict[str, bytes]) -> str:
    """sha256 (hex) of the YAML files' bytes, concatenated in FILES order."""
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(raw[name])
    return digest.hexdigest()


def _raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise CatalogueError(problems)


def _read_files(directory: Path) -> dict[str, bytes]:
    problems, raw = [], {}
    for name in FILES:
        path = directory / name
        try:
            raw[name] = path.read_bytes()
        except FileNotFoundError:
            problems.append(Problem(name, None, None, f"file not found in {directory}"))
    _raise_if_any(problems)
    return raw


def _parse_files(raw: dict[str, bytes]) -> dict[str, Any]:
    problems, docs = [], {}
    for name in FILES:
        try:
            text = raw[name].decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, None, None, f"not valid UTF-8 (byte {exc.start})"))
            continue
        try:
            # _StrictLoader is a SafeLoader: no arbitrary Python objects.
            docs[name] = yaml.load(text, Loader=_StrictLoader)
        except yaml.MarkedYAMLError as exc:
            problems.append(_yaml_problem(name, text, exc))
    _raise_if_any(problems)
    return docs


class _DuplicateKeyError(yaml.constructor.ConstructorError):
    def __init__(self, key: str, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"duplicate key {key!r}", mark)
        self.key = key


# libyaml's parser is several times faster; the pure-Python one behaves the same.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):
    """SafeLoader that rejects duplicate keys, which plain YAML silently overwrites."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise _DuplicateKeyError(str(key), key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_CODE_LINE = re.compile(r"^\s*-?\s*code:\s*['\"]?([^'\"\s#]+)")


def _yaml_problem(name: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
    detail = ", ".join(part for part in (exc.context, exc.problem) if part)
    field = exc.key if isinstance(exc, _DuplicateKeyError) else None
    owner = _nearest_indicator(text, mark.line) if mark and name == INDICATORS else None
    return Problem(name, owner, field, f"{where}: YAML error: {detail}")


def _nearest_indicator(text: str, line: int) -> str | None:
    """The indicator being written at `line`: the last `code:` at or above it."""
    for candidate in reversed(text.splitlines()[: line + 1]):
        match = _CODE_LINE.match(candidate)
        if match:
            return f"near indicator {match.group(1)}"
    return None
