"""Repository hygiene: pins agree everywhere, one repository URL, config is offline and strict."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO_ROOT

LOCK = REPO_ROOT / "requirements" / "lock.txt"
# The `tf` extra asks for tensorflow; the lock pins the CPU-only build of the same release.
LOCK_ALIASES = {"tensorflow": "tensorflow-cpu"}


def _lock_pins() -> dict[str, str]:
    pins = {}
    for raw in LOCK.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;@]+)", line)
        assert match, f"lock line is not an exact pin: {raw!r}"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def _pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _config() -> dict:
    return yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_lock_pins_the_stack() -> None:
    pins = _lock_pins()
    assert pins["tensorflow-cpu"] == "2.21.0"
    for name in ("keras", "jupyter-book", "ipywidgets", "matplotlib", "seaborn", "playwright"):
        assert name in pins, f"{name} missing from the lock"
    assert "attn-lib" not in pins, "the editable attn_lib must not be pinned"


def test_environment_yml_has_exactly_the_lock_pins() -> None:
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip_list = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    pins = {}
    for item in pip_list:
        if item.startswith("-e"):
            continue
        name, version = item.split("==")
        pins[canonicalize_name(name)] = version
    assert pins == _lock_pins()


@pytest.mark.parametrize("group", ["dependencies", "tf", "book", "test"])
def test_pyproject_ranges_admit_the_locked_versions(group: str) -> None:
    project = _pyproject()["project"]
    specs = (
        project["dependencies"]
        if group == "dependencies"
        else project["optional-dependencies"][group]
    )
    pins = _lock_pins()
    for spec in specs:
        req = Requirement(spec)
        name = canonicalize_name(LOCK_ALIASES.get(req.name, req.name))
        assert name in pins, f"{req.name} ({group}) is not in the lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"pyproject {spec!r} rejects the locked {name}=={pins[name]}"
        )


def test_colab_friendly_ranges() -> None:
    deps = {
        Requirement(s).name: str(Requirement(s).specifier)
        for s in _pyproject()["project"]["dependencies"]
    }
    assert deps["keras"] == ">=3"
    assert deps["ipywidgets"] == ">=7.6"
    assert deps["numpy"] == ">=1.26"
    assert "tensorflow" not in deps, "TensorFlow belongs in the [tf] extra (Colab has it)"


def test_installed_packages_match_the_lock() -> None:
    mismatched = {}
    for name, version in _lock_pins().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            mismatched[name] = (version, installed)
    assert mismatched == {}, "run `make venv` (or `make lock` after an intended upgrade)"


def test_package_data_ships_the_font() -> None:
    data = _pyproject()["tool"]["setuptools"]["package-data"]["attn_lib"]
    assert "fonts/*.ttf" in data and "fonts/OFL.txt" in data
    assert (REPO_ROOT / "attn_lib" / "fonts" / "NanumGothic.ttf").is_file()


def test_one_repository_url_used_by_every_colab_cell() -> None:
    url = _config()["repository"]["url"]
    assert url == "https://github.com/attn-book/attention-book"
    notebooks = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "code").source
        assert "google.colab" in first, f"{path.name}: first code cell is not the Colab set-up"
        installs = re.findall(r"^(\s*)%pip install\b.*?git\+(\S+?)(?:\.git)?[\"']?$", first, re.M)
        assert installs, f"{path.name}: Colab cell does not install attn_lib from git"
        for indent, found in installs:
            assert found == url, f"{path.name}: installs from {found}, _config.yml says {url}"
            assert indent, f"{path.name}: the install must run only inside the Colab branch"


def test_no_other_copy_of_the_repository_url() -> None:
    url = _config()["repository"]["url"]
    allowed = {"_config.yml"}
    for path in [REPO_ROOT / "pyproject.toml", REPO_ROOT / "Makefile", REPO_ROOT / "README.md"]:
        if path.is_file() and path.name not in allowed:
            assert url not in path.read_text(encoding="utf-8"), f"{path.name} repeats the URL"


def test_book_config_is_offline_korean_and_strict() -> None:
    cfg = _config()
    sphinx = cfg["sphinx"]
    assert sphinx["recursive_update"] is True
    conf = sphinx["config"]
    assert conf["language"] == "ko"
    assert "sphinx_thebe" not in conf["extensions"]
    assets = REPO_ROOT / conf["html_static_path"][0]
    assert "://" not in conf["mathjax_path"]
    assert list(conf["nb_ipywidgets_js"]) == [
        "vendor/require.js",
        "js/widgets-compat.js",
        "vendor/html-manager/embed-amd.js",
    ]
    assert (assets / "js" / "widgets-compat.js").is_file()
    for css in conf["html_css_files"]:
        assert (assets / css).is_file()
    execute = cfg["execute"]
    assert execute["execute_notebooks"] == "cache"
    assert execute["allow_errors"] is False
    assert execute["timeout"] >= 1800
    assert cfg["launch_buttons"]["colab_url"] == "https://colab.research.google.com"


def test_npm_lock_matches_package_json() -> None:
    package = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["lockfileVersion"] >= 2
    assert lock["packages"][""]["dependencies"] == package["dependencies"]
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} should be pinned exactly"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_commands_agree_between_readme_ci_and_workflow() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make book" in readme
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\s*make test\b(?! *-)", ci, re.M), ".ci/run must run `make test`"
    workflow = (REPO_ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    assert "make book" in workflow and "_build/html" in workflow


def test_the_test_command_builds_both_books_and_times_every_phase() -> None:
    """`make test` (what .ci/run calls) builds the quick AND the full book before pytest.

    The full build runs every chapter's claim checks at full budget; each step records its
    seconds in _build/timings.txt, which .ci/run prints.
    """
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    prerequisites = re.search(r"^test:(.*)$", makefile, re.M)
    assert prerequisites, "no test target"
    assert {"quick", "book", "lint", "setup"} <= set(prerequisites.group(1).split())
    for phase in ("quick notebooks", "quick build", "full notebooks", "full build", "pytest"):
        assert f"$(call timed,{phase})" in makefile, f"phase {phase!r} is not timed"
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "_build/timings.txt" in ci and "make colab-check" in ci


NEEDED_FILES = [
    "Makefile",
    "pyproject.toml",
    "environment.yml",
    "requirements/lock.txt",
    "package.json",
    "package-lock.json",
    "_config.yml",
    "_toc.yml",
    "book/_assets/css/book.css",
    "book/_assets/js/widgets-compat.js",
    "book/_assets/favicon.svg",
    "book/references.bib",
    "attn_lib/fonts/NanumGothic.ttf",
    "attn_lib/fonts/OFL.txt",
    "tools/vendor_assets.py",
    "tools/ensure_system.sh",
    ".ci/run",
    ".github/workflows/book.yml",
    "notebooks/01_intro.ipynb",
]
GENERATED = [
    "book/_assets/vendor/require.js",
    "_build/html/index.html",
    "node_modules/x",
    ".venv/x",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_gitignore_keeps_sources_and_drops_generated_files() -> None:
    def ignored(path: str) -> bool:
        result = subprocess.run(
            ["git", "check-ignore", "-q", "--no-index", path], cwd=REPO_ROOT, check=False
        )
        return result.returncode == 0

    assert [p for p in NEEDED_FILES if ignored(p)] == []
    assert [p for p in GENERATED if not ignored(p)] == []
    for path in NEEDED_FILES:
        assert (REPO_ROOT / path).exists(), path


def test_scripts_are_executable() -> None:
    for path in (".ci/run", "tools/ensure_system.sh"):
        assert Path(REPO_ROOT / path).stat().st_mode & 0o111, f"{path} is not executable"
