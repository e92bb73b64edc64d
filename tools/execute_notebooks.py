"""Execute the book's notebooks two at a time into Jupyter Book's execution cache.

``jupyter-book build`` executes notebooks one after another. The models are small, so a kernel
gains nothing from a second core (measured: one TensorFlow thread trains as fast as two); two
kernels with one thread each finish the book in about half the time. This script runs before the
build and stores every executed notebook in the same jupyter-cache the build reads (the way
myst-nb's cache mode stores it), so the build finds them all cached. A notebook that fails is
left out of the cache: the build then executes it again itself and reports the failing cell.

Usage: ``python tools/execute_notebooks.py --cache _build/.jupyter_cache [--workers 2]``
(the Makefile's ``book`` and ``quick`` targets run it; the environment, e.g. ATTN_BOOK_QUICK,
is passed to the kernels).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 3600  # seconds per cell, as `execute.timeout` in _config.yml


def toc_notebooks(toc: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every ``.ipynb`` listed in the table of contents, in reading order."""
    found: list[Path] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node:
                path = ROOT / f"{node['file']}.ipynb"
                if path.is_file():
                    found.append(path)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(toc.read_text(encoding="utf-8")))
    return found


def execute(path: str) -> tuple[str, nbformat.NotebookNode | None, float, str | None]:
    """Run one notebook in its own folder; returns (path, executed notebook or None, s, error)."""
    notebook = nbformat.read(path, as_version=4)
    result = single_nb_execution(
        notebook, cwd=str(Path(path).parent), timeout=TIMEOUT, allow_errors=False
    )
    if result.err is not None:
        return path, None, result.time, result.exc_string
    return path, notebook, result.time, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="jupyter-cache folder")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    # One thread per kernel: the small models do not speed up with more, and the kernels would
    # otherwise compete for the same cores.
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

    cache = get_cache(str(args.cache))
    pending = []
    for path in toc_notebooks():
        notebook = nbformat.read(path, as_version=4)
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            pending.append(path)
    if not pending:
        print("execute_notebooks: every notebook is already cached")
        return 0
    # Longest first (as long as the last cached run of the same file took), so the two workers
    # finish at about the same time; a notebook never run before counts as long.
    last_seconds = {
        record.uri: float((record.data or {}).get("execution_seconds") or 0)
        for record in cache.list_cache_records()
    }
    pending.sort(key=lambda p: -last_seconds.get(str(p), float("inf")))
    print(f"execute_notebooks: {len(pending)} notebook(s), {args.workers} at a time", flush=True)
    start = time.perf_counter()
    failed = 0
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(execute, str(path)) for path in pending]
        for future in as_completed(futures):
            path, notebook, seconds, error = future.result()
            name = Path(path).relative_to(ROOT)
            if error is not None:
                failed += 1
                print(f"  {name}: FAILED after {seconds:.0f} s (the build will report the cell)")
                continue
            record = cache.add_nb_to_project(path)
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, record.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            print(f"  {name}: {seconds:.0f} s", flush=True)
    print(f"execute_notebooks: done in {time.perf_counter() - start:.0f} s ({failed} failed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
