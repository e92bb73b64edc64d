"""book/_ext/ko_theme.py: catalogues compiled at build time, launch buttons, bibliography roles."""

from __future__ import annotations

import gettext
import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
import yaml
from sphinx.errors import ExtensionError

from tests.conftest import REPO_ROOT


def _load() -> ModuleType:
    if "ko_theme" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "ko_theme", REPO_ROOT / "book" / "_ext" / "ko_theme.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["ko_theme"] = module
        spec.loader.exec_module(module)
    return sys.modules["ko_theme"]


PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Repository"
msgstr "저장소"
"""


def _write_po(base: Path, domain: str, text: str) -> None:
    folder = base / "ko" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{domain}.po").write_text(text, encoding="utf-8")


def test_catalogues_compile_outside_the_source_tree(tmp_path: Path) -> None:
    source, out = tmp_path / "locales", tmp_path / "build"
    _write_po(source, "booktheme", PO)
    _write_po(source, "sphinx", PO)  # Sphinx's own domain: left to Sphinx
    assert _load().compile_catalogues([source], "ko", out) == ["booktheme"]
    translation = gettext.translation("booktheme", str(out), ["ko"])
    assert translation.gettext("Repository") == "저장소"
    assert not list(source.rglob("*.mo"))


def test_untranslated_entries_stop_the_build(tmp_path: Path) -> None:
    _write_po(tmp_path, "booktheme", PO + '\nmsgid "Open issue"\nmsgstr ""\n')
    with pytest.raises(ExtensionError, match="Open issue"):
        _load().compile_catalogues([tmp_path], "ko", tmp_path / "out")


def test_launch_buttons_read_in_korean_order() -> None:
    context = {
        "header_buttons": [
            {
                "label": "launch-buttons",
                "buttons": [{"text": "Colab", "tooltip": "Launch on Colab"}],
            },
            {"label": "download-buttons", "buttons": [{"text": ".pdf", "tooltip": "PDF"}]},
        ]
    }
    _load().korean_launch_buttons(None, "page", "page.html", context, None)
    assert context["header_buttons"][0]["buttons"][0]["tooltip"] == "Colab에서 열기"
    assert context["header_buttons"][1]["buttons"][0]["tooltip"] == "PDF"


def test_bibliography_entries_become_list_items() -> None:
    context = {"body": '<div role="list"><div class="citation" role="doc-biblioentry">'}
    _load().fix_bibliography_roles(None, "page", "page.html", context, None)
    assert context["body"] == '<div role="list"><div class="citation" role="listitem">'


def test_setup_refuses_to_run_after_the_book_theme() -> None:
    app = SimpleNamespace(extensions={"sphinx_book_theme": object()})
    with pytest.raises(ExtensionError, match="before sphinx_book_theme"):
        _load().setup(app)


def test_config_registers_ko_theme_before_the_book_theme() -> None:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config["sphinx"]
    extensions = sphinx["config"]["extensions"]
    assert extensions.index("ko_theme") < extensions.index("sphinx_book_theme")
    assert sphinx["local_extensions"]["ko_theme"] == "book/_ext"
    assert sphinx["config"]["locale_dirs"] == ["book/_locales"]
    assert sphinx["config"]["templates_path"] == ["book/_templates"]
