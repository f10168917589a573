"""Structural validation of each catalogue file against catalogue.schema.json.

jsonschema reports a path like ['indicators', 0, 'sub_indicators', 2, 'measure']; we turn it
into "indicator A.1.3: field 'measure'" so an editor finds the spot without counting list
items.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from rapor.catalogue.errors import Problem

SCHEMA_PATH = Path(__file__).with_name("catalogue.schema.json")

# Top-level lists/maps whose items are named objects: key -> (what we call an item, its id field).
_OWNERS: dict[str, tuple[str, str | None]] = {
    "indicators": ("indicator", "code"),
    "dimensions": ("dimension", "code"),
    "sources": ("source", "code"),
    "label_sets": ("label set", None),
    "ability_levels": ("ability level", "level"),
    "ability_distributions": ("ability distribution", None),
    "bentuk": ("bentuk", "code"),
    "jenjang": ("jenjang", "key"),
    "programmes": ("programme", None),
}

_JSON_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


@cache
def _validator(stem: str) -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator({**schema, "$ref": f"#/$defs/{stem}"})


def validate_file(file_name: str, data: Any) -> list[Problem]:
    """Every structural problem in one parsed file, in document order."""
    validator = _validator(file_name.removesuffix(".yaml"))
    errors = sorted(validator.iter_errors(data), key=lambda error: _sort_key(error.absolute_path))
    return [_to_problem(file_name, data, error) for error in errors]


def _sort_key(path: Sequence[str | int]) -> list[tuple[int, int, str]]:
    # Paths mix list indexes and mapping keys; compare them without mixing types.
    return [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in path]


def _to_problem(file_name: str, data: Any, error: ValidationError) -> Problem:
    owner, field = locate(data, list(error.absolute_path))
    extra_field, message = _describe(error)
    if extra_field:
        field = [*field, extra_field]
    return Problem(file_name, owner, format_field(field) or None, message)


def locate(data: Any, path: list[str | int]) -> tuple[str | None, list[str | int]]:
    """Split a path into the named object that owns it and the field path inside that object."""
    if len(path) < 2 or not isinstance(data, dict) or path[0] not in _OWNERS:
        return None, path
    kind, id_field = _OWNERS[str(path[0])]
    try:
        node = data[path[0]][path[1]]
        owner = _owner_name(kind, id_field, path[1], node)
        rest = path[2:]
        if kind == "indicator" and len(rest) >= 2 and rest[0] == "sub_indicators":
            sub = node["sub_indicators"][rest[1]]
            owner = _owner_name("indicator", "code", rest[1], sub)
            rest = rest[2:]
    except (KeyError, IndexError, TypeError):
        return None, path
    return owner, rest


def _owner_name(kind: str, id_field: str | None, position: str | int, node: Any) -> str:
    if isinstance(position, str):
        return f"{kind} {position}"
    if id_field and isinstance(node, dict) and isinstance(node.get(id_field), str | int):
        return f"{kind} {node[id_field]}"
    return f"{kind} at index {position}"


def format_field(path: Sequence[str | int]) -> str:
    """['bands', 1, 'colour'] -> 'bands[1].colour'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: ValidationError) -> tuple[str | None, str]:
    """A readable message, plus the name of the field it is about when the path stops short."""
    value, schema = error.instance, error.schema
    match error.validator:
        case "required":
            missing = [name for name in error.validator_value if name not in value]
            return missing[0], "is required"
        case "additionalProperties":
            allowed = sorted(schema.get("properties", {}))
            unknown = sorted(name for name in value if name not in allowed)
            return unknown[0], f"unknown field (allowed: {', '.join(allowed)})"
        case "enum":
            allowed = ", ".join(str(option) for option in error.validator_value)
            return None, f"{_short(value)} is not allowed (allowed: {allowed})"
        case "type":
            expected = error.validator_value
            expected = [expected] if isinstance(expected, str) else expected
            names = " or ".join(_JSON_TYPE_NAMES.get(name, name) for name in expected)
            got = (
                "nothing (empty value)"
                if value is None
                else f"{_python_type_name(value)} {_short(value)}"
            )
            hint = f"; should be {schema['description']}" if "description" in schema else ""
            return None, f"expected {names}, got {got}{hint}"
        case "pattern" if "description" in schema:
            return None, f"{value!r} is not {schema['description']}"
        case "minLength":
            return None, "must not be empty"
        case "minItems":
            return None, f"needs at least {error.validator_value} item(s)"
        case "minimum":
            return None, f"must be at least {error.validator_value}, got {value!r}"
    return None, error.message


def _short(value: Any, limit: int = 60) -> str:
    # A whole indicator pasted where a list was expected should not flood the message.
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _python_type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
