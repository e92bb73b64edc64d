"""Read a chapter's settings (the named constants of its 준비 cell) so a claim test uses them.

A claim test re-runs the chapter's computation; copying its constants would let the two drift
apart. `chapter_settings` finds the top-level assignments ``NAME = ...`` in the notebook's code
cells and evaluates them at the full-book budget (``budget(full=..., quick=...)`` gives ``full``).
Only the names asked for are evaluated, in notebook order, with `TrainConfig` and the names
already read in scope.
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat

from attn_lib import TrainConfig

REPO_ROOT = Path(__file__).resolve().parents[2]


def _full(*, full: Any, quick: Any) -> Any:
    return full


def _without_magics(line: str) -> str:
    # An IPython magic (the Colab cell's %pip) is not Python: keep the line as a no-op.
    stripped = line.lstrip()
    return line[: len(line) - len(stripped)] + "pass" if stripped.startswith("%") else line


def chapter_settings(notebook: str, names: list[str]) -> SimpleNamespace:
    """The values of ``names`` (as attributes) as the full book computes them in ``notebook``.

    Raises:
        ValueError: a name is not assigned at the top level of any code cell, or its expression
            needs something other than literals, `budget`, `TrainConfig` and earlier names.
    """
    path = REPO_ROOT / "notebooks" / notebook
    cells = nbformat.read(path, as_version=4).cells
    assignments: dict[str, ast.expr] = {}
    for cell in cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(_without_magics(line) for line in cell.source.splitlines())
        for node in ast.parse(source).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id not in assignments:
                    assignments[target.id] = node.value
    scope: dict[str, Any] = {"budget": _full, "TrainConfig": TrainConfig}
    values = {}
    for name in sorted(names, key=lambda n: list(assignments).index(n) if n in assignments else -1):
        if name not in assignments:
            raise ValueError(f"{notebook} assigns no top-level {name!r}")
        expression = ast.Expression(assignments[name])
        try:
            value = eval(compile(expression, f"{notebook}:{name}", "eval"), {**scope})
        except NameError as error:
            raise ValueError(f"{notebook}: {name} needs {error.name!r}; read it first") from error
        scope[name] = values[name] = value
    return SimpleNamespace(**values)
