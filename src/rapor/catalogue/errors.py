"""The one error a broken catalogue raises, and the problem lines it carries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the catalogue, located by file, owning object and field path."""

    file: str
    owner: str | None  # "indicator A.1", "label set kompetensi", "jenjang dasar"...
    field: str | None  # path inside the owner: "label_set", "bands[1].lower_bound"
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.owner:
            parts.append(self.owner)
        if self.field:
            parts.append(f"field '{self.field}'")
        parts.append(self.message)
        return ": ".join(parts)


class CatalogueError(Exception):
    """The indicator catalogue cannot be loaded.

    The message has one line per problem, each naming the file, the indicator (or other
    object) and the field, e.g.
    ``indicators.yaml: indicator A.1: field 'label_set': unknown label set 'kompetensii' ...``.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
