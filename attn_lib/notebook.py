"""Small helpers for the chapters themselves: hand measured numbers to the book's prose."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["glue", "glue_all"]


def glue(name: str, value: Any, display: bool = False) -> Any:
    """Store ``value`` under ``name`` so the prose can quote it (myst-nb's ``glue:text`` role).

    Inside the book build this is myst-nb's ``glue``. Where myst-nb is not installed (for example
    on Colab) the value is only displayed when ``display`` is true. Returns ``value``.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue names must be identifiers (letters, digits, _), got {name!r}")
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # numpy scalars: plain numbers, so prose formats like :.3f work
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        if display:
            from IPython.display import display as show

            show(value)
        return value
    myst_glue(name, value, display=display)
    return value


def glue_all(values: Mapping[str, Any]) -> None:
    """Glue every ``name: value`` of ``values`` for the prose (one hidden cell per section).

    A :class:`~attn_lib.verdicts.Comparison` is glued as its bare verdict (``.verb``); glue its
    ``sentence(...)`` under a name of its own for a full sentence.
    """
    if not isinstance(values, Mapping) or not values:
        raise ValueError("glue_all needs a non-empty dict of name -> value")
    for name, value in values.items():
        verb = getattr(value, "verb", None)
        glue(name, verb if isinstance(verb, str) else value)
