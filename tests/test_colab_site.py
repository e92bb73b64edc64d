"""Colab editions in a built site: the Colab buttons, the editions, the check and the publisher.

* The quick build (``make quick``): every chapter's Colab button opens that chapter's edition,
  which exists in the site, badges the same address and passes the check's static part.
* ``tools/colab_check.py`` fails on a planted raw role and on a missing Python 3.13 (without
  building its venv: the static checks come first).
* A mini book (tests/data/colab_book, a few seconds): the extension writes the edition in a
  strict build, and a construct it cannot convert fails that build, naming the notebook.
* ``tools/publish_colab_editions.sh`` pushes the editions to their branch of a local remote.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import REPO_ROOT, toc_files

CHECK = REPO_ROOT / "tools" / "colab_check.py"
MINI_BOOK = REPO_ROOT / "tests" / "data" / "colab_book"


def _config() -> dict:
    return yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))


def _expected_colab_url(name: str) -> str:
    cfg = _config()
    owner_repo = cfg["repository"]["url"].removeprefix("https://github.com/")
    branch = cfg["sphinx"]["config"]["colab_edition_branch"]
    base = cfg["launch_buttons"]["colab_url"]
    return f"{base}/github/{owner_repo}/blob/{branch}/{name}.ipynb"


CHAPTERS = [doc for doc in toc_files() if doc.startswith("notebooks/")]


@pytest.mark.slow
@pytest.mark.parametrize("docname", CHAPTERS)
def test_colab_button_opens_this_chapters_edition(built_book_dir: Path, docname: str) -> None:
    name = docname.rsplit("/", 1)[-1]
    page = BeautifulSoup((built_book_dir / f"{docname}.html").read_text("utf-8"), "html.parser")
    colab_base = _config()["launch_buttons"]["colab_url"]
    links = {a["href"] for a in page.select("a[href]") if a["href"].startswith(colab_base)}
    expected = _expected_colab_url(name)
    assert links == {expected}
    edition = built_book_dir / "colab" / f"{name}.ipynb"
    assert edition.is_file(), f"{edition} was not written by the build"
    nb = json.loads(edition.read_text(encoding="utf-8"))
    header = "".join(nb["cells"][0]["source"])
    assert f"]({expected})" in header, "the edition's badge opens another address"
    assert nb["metadata"]["attn_book"]["source"] == f"{docname}.ipynb"


@pytest.mark.slow
def test_built_editions_pass_the_static_checks(built_book_dir: Path) -> None:
    sys.path.insert(0, str(CHECK.parent))
    import colab_check

    assert colab_check.static_problems(built_book_dir / "colab") == []
    manifest = json.loads((built_book_dir / "colab" / "manifest.json").read_text("utf-8"))
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["commit"])
    url = _config()["repository"]["url"]
    assert manifest["install"] == f"attn-lib @ git+{url}@{manifest['commit']}"


def _copy_editions(built_book_dir: Path, tmp_path: Path) -> Path:
    html = tmp_path / "html"
    shutil.copytree(built_book_dir / "colab", html / "colab")
    return html / "colab"


def _run_check(editions: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(CHECK), "--editions", str(editions), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_relative_editions_path_reaches_the_kernels_as_absolute_paths(
    built_book_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `make colab-check` passes a path relative to the repository, while the notebooks run in a
    # scratch directory: a relative path there crashed the execution step on CI.
    sys.path.insert(0, str(CHECK.parent))
    import colab_check

    _copy_editions(built_book_dir, tmp_path)
    seen: dict[str, object] = {}

    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        seen["command"], seen["cwd"] = command, kwargs.get("cwd")
        return subprocess.CompletedProcess(command, 3)

    monkeypatch.setattr(colab_check, "ensure_venv", lambda *a: Path(sys.executable))
    monkeypatch.setattr(colab_check, "install_attn_lib", lambda *a: [])
    monkeypatch.setattr(colab_check.subprocess, "run", fake_run)
    monkeypatch.chdir(tmp_path)
    code = colab_check.main(["--editions", "html/colab", "--venv", "venv/v"])
    assert code == 2  # the faked execution step "crashed"
    command = seen["command"]
    assert isinstance(command, list)
    files = command[command.index("--execute") + 1 : command.index("--workdir")]
    assert len(files) == len(CHAPTERS)
    assert all(Path(f).is_absolute() and Path(f).is_file() for f in files)
    assert seen["cwd"] != tmp_path


@pytest.mark.slow
def test_check_fails_on_a_planted_raw_role(built_book_dir: Path, tmp_path: Path) -> None:
    editions = _copy_editions(built_book_dir, tmp_path)
    target = sorted(editions.glob("*.ipynb"))[1]
    nb = json.loads(target.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"][2:] if c["cell_type"] == "markdown")
    cell["source"].append("\n\n정확도는 {glue:text}`planted_key:.3f`입니다.")
    target.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    result = _run_check(editions, "--venv", str(tmp_path / "venv"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"FAIL {target.name}" in result.stdout
    assert "role {glue:text}" in result.stdout and "planted_key" in result.stdout
    assert "creating" not in result.stdout, "a static failure must stop before the venv"


@pytest.mark.slow
def test_check_fails_loudly_without_python_313(built_book_dir: Path, tmp_path: Path) -> None:
    editions = _copy_editions(built_book_dir, tmp_path)
    venv = tmp_path / "venv"
    result = _run_check(editions, "--python", str(tmp_path / "no-python3.13"), "--venv", str(venv))
    assert result.returncode == 2
    assert "Python 3.13 not found" in result.stdout
    assert not venv.exists()


def _build_mini_book(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going"]
    command += ["-d", str(out / "doctrees"), str(src), str(out / "html")]
    env = {**os.environ, "ATTN_BOOK_REPO": str(REPO_ROOT)}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, env=env
    )


@pytest.mark.slow
def test_mini_book_writes_an_edition_in_a_strict_build(tmp_path: Path) -> None:
    result = _build_mini_book(MINI_BOOK, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    html = tmp_path / "html"
    url = "https://colab.research.google.com/github/example-org/example-book/blob/editions/"
    page = (html / "chapter.html").read_text(encoding="utf-8")
    assert f'href="{url}chapter.ipynb"' in page
    nb = json.loads((html / "colab" / "chapter.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert "정확도는 0.912<sup>※</sup>입니다" in text
    assert "[Bahdanau 외, 2015](https://example-org.github.io/example-book/references.html#" in text
    assert "[어텐션](https://example-org.github.io/example-book/glossary.html#" in text
    assert "<details>\n<summary><b>힌트</b></summary>" in text
    assert '"attn-lib @ git+https://github.com/example-org/example-book@0123456789abcdef' in text
    assert "git+https://github.com/example-org/example-book\n" not in text  # old set-up cell


@pytest.mark.slow
def test_mini_book_build_fails_on_a_construct_without_colab_form(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(MINI_BOOK, src)
    notebook = src / "chapter.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"][-1]["source"] += "\n\n```{epigraph}\n인용문\n```\n"
    notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    stale = tmp_path / "out" / "html" / "colab" / "chapter.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    result = _build_mini_book(src, tmp_path / "out")
    assert result.returncode != 0
    assert "chapter.ipynb" in result.stderr and "{epigraph}" in result.stderr
    assert not stale.exists(), "an edition from an earlier build was left behind"


def _git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


def test_publisher_pushes_the_editions_to_their_branch(tmp_path: Path) -> None:
    remote, checkout = tmp_path / "remote.git", tmp_path / "checkout"
    _git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    _git("init", "-q", "-b", "main", str(checkout), cwd=tmp_path)
    _git("remote", "add", "origin", str(remote), cwd=checkout)
    editions = checkout / "_build" / "html" / "colab"
    editions.mkdir(parents=True)
    (editions / "01_intro.ipynb").write_text("{}", encoding="utf-8")
    manifest = {"branch": "colab", "commit": "c0ffee" * 6 + "c0ff", "editions": []}
    (editions / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    script = REPO_ROOT / "tools" / "publish_colab_editions.sh"
    for _ in range(2):  # the second run replaces the branch
        subprocess.run([str(script), str(editions)], cwd=checkout, check=True, capture_output=True)
    files = _git("ls-tree", "--name-only", "colab", cwd=remote).split()
    assert files == ["01_intro.ipynb", "README.md", "manifest.json"]
    assert _git("rev-list", "--count", "colab", cwd=remote).strip() == "1"
    manifest["branch"] = "main"
    (editions / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    refused = subprocess.run([str(script), str(editions)], cwd=checkout, capture_output=True)
    assert refused.returncode != 0
