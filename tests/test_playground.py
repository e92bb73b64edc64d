"""attn_lib.playground's HTML output and book/_ext/webmodels.py, which publishes its files."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from attn_lib import date_task, greedy_decode
from attn_lib.export import load_export
from attn_lib.playground import WEBMODELS_ENV, playground, runtime_script
from tests.conftest import REPO_ROOT
from tests.webmodel_helpers import random_model

EXT_DIR = REPO_ROOT / "book" / "_ext"


@pytest.fixture(scope="module")
def dates():
    return date_task(300, seed=0)


@pytest.fixture(scope="module")
def model(dates):
    return random_model(dates, score="additive", bidirectional=True, units=8)


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)


def test_inline_output_carries_everything(model, dates, monkeypatch) -> None:
    monkeypatch.delenv(WEBMODELS_ENV, raising=False)
    box = playground(model, dates, name="dates", examples=["30 Nov 2026", "2026/11/30"])
    assert box.mode == "inline" and box.files == ()
    assert box._repr_html_() == box.html
    scripts = _scripts(box.html)
    assert len(scripts) == 3  # runtime + box script, the model, the mount call
    assert "function lstmStep" in scripts[0] and "AttnPlayground" in scripts[0]
    assert box.exported.key in scripts[1] and box.exported.key in scripts[2]
    assert "data-attn-files" not in box.html
    assert 'value="30 Nov 2026"' in box.html
    assert box.html.count("data-example=") == 2
    # Each example button carries Keras' answer with the shipped float16 weights.
    keras_model = box.exported.to_keras()
    texts = greedy_decode(
        keras_model, dates.encode_inputs(["30 Nov 2026", "2026/11/30"]), vocab=dates.target_vocab
    ).texts
    answers = re.findall(r'data-answer="([^"]*)"', box.html)
    assert answers == [html.escape(text) for text in texts]
    assert box.embedded_bytes > box.exported.size


def test_files_output_references_hashed_files(model, dates, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(WEBMODELS_ENV, str(tmp_path / "web"))
    box = playground(model, dates, name="dates")
    assert box.mode == "files" and len(box.files) == 2
    runtime_name, model_name = box.files
    assert re.fullmatch(r"attn_playground-[0-9a-f]{12}\.js", runtime_name)
    assert model_name == box.exported.filename
    assert (tmp_path / "web" / runtime_name).read_text(encoding="utf-8") == runtime_script()
    assert load_export(tmp_path / "web" / model_name).weights == box.exported.weights
    assert f'data-attn-files="{runtime_name} {model_name}"' in box.html
    assert box.embedded_bytes < 8_000  # only the box and a loader, no weights
    (script,) = _scripts(box.html)
    assert "data-content_root" in script and "webmodels/" in script
    # The same model and code give the same names (a rebuild does not pile up files).
    again = playground(model, dates, name="dates", mode="files", directory=tmp_path / "web")
    assert again.files == box.files
    assert len(list((tmp_path / "web").iterdir())) == 2


def test_text_is_escaped_and_scripts_cannot_close_early(model, dates, monkeypatch) -> None:
    monkeypatch.delenv(WEBMODELS_ENV, raising=False)
    box = playground(model, dates, name="dates", label="<b>날짜</b> & 형식")
    assert "&lt;b&gt;날짜&lt;/b&gt; &amp; 형식" in box.html
    for script in _scripts(box.html):
        assert "</" not in script


def test_bad_arguments(model, dates, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(WEBMODELS_ENV, raising=False)
    with pytest.raises(ValueError, match="mode must be one of"):
        playground(model, dates, name="dates", mode="server")
    with pytest.raises(ValueError, match="needs directory= or the ATTN_BOOK_WEBMODELS"):
        playground(model, dates, name="dates", mode="files")
    with pytest.raises(ValueError, match="examples must be a list"):
        playground(model, dates, name="dates", examples="30 Nov 2026")
    with pytest.raises(ValueError, match=r"example '30 Nov 2026!' does not fit the model"):
        playground(model, dates, name="dates", examples=["30 Nov 2026!"])
    with pytest.raises(ValueError, match="name must be"):
        playground(model, dates, name="Dates!")


# --------------------------------------------------------------------------- the extension
def _build_site(tmp_path: Path, source: Path, pages: dict[str, str]) -> subprocess.CompletedProcess:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT_DIR)!r})\n"
        "extensions = ['webmodels']\nproject = 't'\nhtml_theme = 'basic'\n",
        encoding="utf-8",
    )
    toctree = "\n".join(f"   {name}" for name in pages)
    (src / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{toctree}\n")
    for name, div in pages.items():
        body = f"{name}\n{'=' * len(name)}\n\n.. raw:: html\n\n   {div}\n"
        (src / f"{name}.rst").write_text(body, encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going"]
    command += [str(src), str(tmp_path / "html")]
    env = {"PATH": "/usr/bin:/bin", WEBMODELS_ENV: str(source)}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.slow
def test_extension_publishes_exactly_the_referenced_files(tmp_path: Path) -> None:
    source = tmp_path / "web"
    source.mkdir()
    for name in ("attn_playground-aaa.js", "dates-bbb.js", "stale-ccc.js"):
        (source / name).write_text(f"// {name}\n")
    result = _build_site(
        tmp_path,
        source,
        {
            "one": '<div data-attn-files="attn_playground-aaa.js dates-bbb.js"></div>',
            "two": '<div data-attn-files="attn_playground-aaa.js"></div>',
        },
    )
    assert result.returncode == 0, result.stderr
    published = sorted(p.name for p in (tmp_path / "html" / "webmodels").iterdir())
    assert published == ["attn_playground-aaa.js", "dates-bbb.js"]  # not the stale file


@pytest.mark.slow
def test_extension_fails_the_build_on_a_missing_file(tmp_path: Path) -> None:
    source = tmp_path / "web"
    source.mkdir()
    result = _build_site(tmp_path, source, {"one": '<div data-attn-files="dates-bbb.js"></div>'})
    assert result.returncode != 0
    assert "browser model file dates-bbb.js (loaded by one.html) is missing" in result.stderr
    assert "re-execute the chapter" in result.stderr


def test_package_ships_the_browser_scripts() -> None:
    import tomllib

    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "static/*.js" in pyproject["tool"]["setuptools"]["package-data"]["attn_lib"]
    static = REPO_ROOT / "attn_lib" / "static"
    for name in ("seq2seq_runtime.js", "seq2seq_playground.js", "seq2seq_node.js"):
        assert (static / name).is_file(), name
