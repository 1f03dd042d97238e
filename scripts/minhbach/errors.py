"""Errors as values: every problem found in the input is an Issue with a code and a place.

Stages return lists of issues instead of raising, so one run reports every problem at once;
the CLI renders them once for people (text) and once for machines (JSON).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def place(self) -> str:
        parts = [self.file or "datapackage.json"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def render(self) -> str:
        text = f"[{self.code}] {self.place()}: {self.message}"
        if self.value is not None:
            text += f" (value: {self.value!r}"
            text += f"; expected: {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected: {self.expected})"
        return text


class Failed(Exception):
    """Raised by a stage that cannot go on; carries the issues that stopped it."""

    def __init__(self, issues: list[Issue]):
        super().__init__(f"{len(issues)} problem(s)")
        self.issues = issues


def render_text(issues: list[Issue]) -> str:
    return "\n".join(i.render() for i in issues)


def render_json(issues: list[Issue]) -> str:
    payload = {
        "valid": not issues,
        "error_count": len(issues),
        "errors": [{k: v for k, v in asdict(i).items() if v is not None} for i in issues],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
