"""docs/ARCHITECTURE.md matches the code: its module table is generated, and every module or class
it names (also in the hand-written parts) exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tools import gen_architecture as gen

ARCHITECTURE = REPO_ROOT / "docs" / "ARCHITECTURE.md"
BACKTICKED = re.compile(r"`([^`\n]+)`")
DOTTED_ATTN_LIB = re.compile(r"\battn_lib(?:\.\w+)*")
# A class-like name: two or more capitalised parts, e.g. `Seq2SeqData`, `FeatureAttention`.
CLASS_LIKE = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+")


def _resolves(dotted: str) -> bool:
    """True if `dotted` is a module, or a module followed by attributes that exist."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def missing_names(text: str) -> list[str]:
    """The `attn_lib...` paths and class-like names in backticks that the package does not have."""
    known = {
        name for module in gen.public_modules() for name in vars(importlib.import_module(module))
    }
    missing = []
    for snippet in BACKTICKED.findall(text):
        for dotted in DOTTED_ATTN_LIB.findall(snippet):
            if not _resolves(dotted):
                missing.append(dotted)
        head = re.split(r"[.(\s]", snippet, maxsplit=1)[0]
        if CLASS_LIKE.fullmatch(head) and head not in known:
            missing.append(head)
    return sorted(set(missing))


def test_module_table_is_up_to_date() -> None:
    current = ARCHITECTURE.read_text(encoding="utf-8")
    assert gen.render(current, gen.module_table()) == current, (
        "docs/ARCHITECTURE.md is out of date: run `.venv/bin/python tools/gen_architecture.py`"
    )


def test_every_public_module_is_named() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `(attn_lib[\w.]*)` \|", text, flags=re.MULTILINE))
    public = set(gen.public_modules())
    assert public - named == set(), f"public modules missing from the table: {public - named}"
    assert {"attn_lib.tasks.pairs", "attn_lib.validation", "attn_lib.vocab"} <= named


def test_every_module_and_class_named_exists() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert missing_names(text) == []


def test_stale_names_are_caught() -> None:
    """The table once listed a `FeatureAttention` that never existed; such names are reported."""
    stale = (
        "| `layers` | attention | `BahdanauDecoder`, `FeatureAttention` |\n"
        "see `attn_lib.tasks.Seq2SeqData.fingerprint` and `attn_lib.tasks.nowhere`"
    )
    assert missing_names(stale) == ["FeatureAttention", "attn_lib.tasks.nowhere"]


def test_public_modules_skip_private_parts() -> None:
    modules = gen.public_modules()
    assert modules[0] == "attn_lib"
    assert "attn_lib.tasks.containers" in modules
    assert not [m for m in modules if any(p.startswith("_") for p in m.split("."))]


def test_every_public_module_has_a_summary_line() -> None:
    for name in gen.public_modules():
        line = gen.summary(importlib.import_module(name))
        assert line and "\n" not in line, name


def test_render_keeps_the_hand_written_parts() -> None:
    text = f"intro\n{gen.BEGIN}\nold table\n{gen.END}\n## Data contract\nkept\n"
    assert (
        gen.render(text, "new") == f"intro\n{gen.BEGIN}\nnew\n{gen.END}\n## Data contract\nkept\n"
    )
    with pytest.raises(ValueError, match="must contain the markers once each"):
        gen.render("no markers here", "new")
    with pytest.raises(ValueError, match="must contain the markers once each"):
        gen.render(f"{gen.END}\n{gen.BEGIN}", "new")


def test_check_mode_reports_without_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    stale = f"# A\n{gen.BEGIN}\n| `attn_lib.layers` | old | `FeatureAttention` |\n{gen.END}\n"
    path = tmp_path / "ARCHITECTURE.md"
    path.write_text(stale, encoding="utf-8")
    monkeypatch.setattr(gen, "ARCHITECTURE", path)
    monkeypatch.setattr(gen, "ROOT", path.parent)
    assert gen.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == stale
    assert gen.main([]) == 0
    written = path.read_text(encoding="utf-8")
    assert "FeatureAttention" not in written and "| `attn_lib.tasks.pairs` |" in written
    assert gen.main(["--check"]) == 0
