"""Run a chapter's own code cells in a claim test, so the test trains what the chapter trains.

A claim test must re-run the chapter's computation the way the chapter does: the same settings
(``CONFIG``, ``SEEDS``, data sizes) and the same helpers (``make_model``, ``run``). Copying them
into the test would let the two drift apart, so :func:`chapter_namespace` executes the notebook's
code cells that define the names the test asks for (the set-up cell, the helper cells), in
notebook order, in one namespace, in full mode. Cells that define none of those names (the
training loops, the figures, the hidden glue cells) are not run, so a chapter keeps its helper
definitions in cells of their own: a cell that defines ``run`` and then loops over the seeds
would train the whole chapter here.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat

import attn_lib  # noqa: F401  (sets TensorFlow's environment defaults before a cell imports keras)
from tests.conftest import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"


def defined_names(source: str) -> set[str]:
    """Names a cell binds at its top level: assignments, functions, classes and imports."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def chapter_namespace(notebook: str | Path, names: Iterable[str]) -> dict[str, Any]:
    """Execute the chapter's code cells that define any of ``names`` and return the namespace.

    The cells run in notebook order with ``ATTN_BOOK_QUICK=0`` (the chapter's full budget); a
    test may then shrink the budget itself, e.g. ``ns["CONFIG"] = ns["CONFIG"].replace(...)``.
    The first code cell (the Colab set-up cell) and cells tagged ``remove-cell`` are skipped.

    Args:
        notebook: a file name in ``notebooks/`` (with or without ``.ipynb``) or a path.
        names: the names the test needs, e.g. ``("CONFIG", "SEEDS", "run")``.

    Raises:
        ValueError: the notebook does not exist, or a requested name is defined by no cell.
    """
    path = Path(notebook)
    if not path.is_absolute():
        path = NOTEBOOKS / path.with_suffix(".ipynb").name
    if not path.is_file():
        raise ValueError(f"no chapter notebook at {path}")
    wanted = set(names)
    if not wanted:
        raise ValueError("name at least one thing the test needs from the chapter")
    code_cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    namespace: dict[str, Any] = {"__name__": f"chapter_{path.stem}"}
    found: set[str] = set()
    previous = os.environ.get("ATTN_BOOK_QUICK")
    os.environ["ATTN_BOOK_QUICK"] = "0"
    try:
        for cell in code_cells[1:]:
            if "remove-cell" in cell.metadata.get("tags", []):
                continue
            defines = defined_names(cell.source) & wanted
            if defines:
                exec(compile(cell.source, f"{path.name}:{cell.get('id', '?')}", "exec"), namespace)
                found |= defines
    finally:
        if previous is None:
            os.environ.pop("ATTN_BOOK_QUICK", None)
        else:
            os.environ["ATTN_BOOK_QUICK"] = previous
    missing = sorted(wanted - found)
    if missing:
        raise ValueError(
            f"{path.name} defines no {missing} in a top-level statement of a code cell"
        )
    return namespace
