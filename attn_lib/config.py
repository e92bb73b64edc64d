"""Run-time settings shared by every chapter: quick mode and the result-cache location.

Quick mode is switched on with the environment variable ``ATTN_BOOK_QUICK=1``. It shrinks every
experiment's budget so the whole book executes in CI within minutes; the default is the full book.
The result cache lives in ``ATTN_LIB_CACHE_DIR`` (default: the user's cache directory).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

QUICK_ENV = "ATTN_BOOK_QUICK"
CACHE_ENV = "ATTN_LIB_CACHE_DIR"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}

T = TypeVar("T")


def is_quick() -> bool:
    """Return True when quick mode is on (``ATTN_BOOK_QUICK`` set to 1/true/yes/on)."""
    raw = os.environ.get(QUICK_ENV, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"{QUICK_ENV}={raw!r} is not understood; use 1 (quick) or 0 (full book)")


def budget(full: T, quick: T) -> T:
    """Pick the full-book value, or the quick-mode value when quick mode is on.

    >>> budget(full=30, quick=2)  # doctest: +SKIP
    """
    return quick if is_quick() else full


def cache_dir() -> Path:
    """Directory of the result cache (created on demand by the cache, not here)."""
    raw = os.environ.get(CACHE_ENV, "").strip()
    if raw:
        return Path(raw).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "attn_lib"
