#!/usr/bin/env python3
"""`make colab-check`: run the Colab editions the way a new reader would, in a Colab-like venv.

Steps (each failure is reported; the exit status is 1 when anything failed, 2 when the check
could not run at all):

1. Static checks of the editions a build wrote (``<html>/colab/``, see book/_ext/colab_editions.py):
   one edition per chapter notebook, made from the notebook as it is now (sha256 in the
   manifest), valid nbformat 4 without outputs or execution counts, the generated set-up cell
   first and pinned to a commit, and no MyST construct left in any Markdown cell. These run
   before anything is installed, so a raw role fails the check in a second.
2. A virtual environment from ``requirements/colab.txt`` (what Colab preinstalls) on Python 3.13
   (pyenv's, or ``COLAB_PYTHON``); a missing interpreter is an error, never a skip. The venv is
   reused while the requirements and the interpreter stay the same (``.cache/colab-venv``).
3. ``pip install`` of attn_lib (a copy of this tree, as from git) with plain pip; the check
   asserts that only ``attn-lib`` was added and nothing preinstalled changed.
4. Every edition executed in quick mode (``ATTN_BOOK_QUICK=1``) with nbclient, one fresh kernel
   each, in an empty working folder with an empty result cache and without the build's
   TensorFlow log settings (the edition's first cell must quiet TensorFlow itself). Any cell
   error and any output on stderr fails the check.
5. The ipywidgets 7.x image slider over the real kernel protocol: build it in a kernel, send the
   ``update`` message a browser sends when the reader drags the slider, and require the kernel
   to answer with an update of the image display (an ``HTML`` widget) carrying the selected
   frame's PNG and its alt text.

Usage: ``tools/colab_check.py [--editions DIR] [--only NAME ...]``. The inner steps run under
the venv's Python as ``colab_check.py --execute ...`` (standard library + nbclient only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EDITIONS = REPO / "_build" / "quick" / "_build" / "html" / "colab"
DEFAULT_VENV = REPO / ".cache" / "colab-venv"
REQUIREMENTS = REPO / "requirements" / "colab.txt"
DEFAULT_PYTHON = "/root/.pyenv/versions/3.13.0/bin/python3.13"
#: The build's settings that a Colab runtime does not have.
SCRUBBED_ENV = (
    "TF_CPP_MIN_LOG_LEVEL",
    "TF_ENABLE_ONEDNN_OPTS",
    "PYTHONPATH",
    "MPLBACKEND",
    "ATTN_LIB_CACHE_DIR",
    "VIRTUAL_ENV",
)
INSTALL_LINE = re.compile(r'^\s+%pip install --quiet "attn-lib @ git\+(\S+)@([0-9a-f]{40})"$', re.M)
NOTEBOOK_TIMEOUT = 900


class CheckFailed(Exception):
    """The check cannot go on (missing interpreter, no editions, broken venv)."""


# --------------------------------------------------------------------------- static checks


def load_editions(editions: Path) -> tuple[dict[str, Any], list[Path]]:
    manifest_path = editions / "manifest.json"
    if not manifest_path.is_file():
        raise CheckFailed(
            f"no Colab editions at {editions} (no manifest.json): build the book first "
            "(`make quick`), which writes them"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = [editions.parent / entry["file"] for entry in manifest["editions"]]
    return manifest, files


def static_problems(editions: Path, repo: Path = REPO) -> list[str]:
    """Everything wrong with the editions that shows without running them."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from colab_edition import find_myst_constructs

    manifest, files = load_editions(editions)
    problems = []
    sources = {entry["source"]: entry for entry in manifest["editions"]}
    for notebook in sorted((repo / "notebooks").glob("*.ipynb")):
        name = notebook.relative_to(repo).as_posix()
        entry = sources.get(name)
        if entry is None:
            problems.append(f"{name}: no Colab edition in {editions}")
        elif hashlib.sha256(notebook.read_bytes()).hexdigest() != entry["source_sha256"]:
            problems.append(f"{name}: its edition is stale (rebuild the book: `make quick`)")
    for path in files:
        if not path.is_file():
            problems.append(f"{path.name}: listed in manifest.json but missing")
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        if nb.get("nbformat") != 4:
            problems.append(f"{path.name}: not an nbformat 4 notebook")
            continue
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        for index, cell in enumerate(nb["cells"]):
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                for found in find_myst_constructs(source):
                    problems.append(f"{path.name}: cell {index}: MyST left in Markdown: {found}")
            elif cell["cell_type"] == "code" and (cell.get("outputs") or cell["execution_count"]):
                problems.append(f"{path.name}: cell {index} has outputs or an execution count")
        first = "".join(code[0]["source"]) if code else ""
        match = INSTALL_LINE.search(first)
        if "colab-setup" not in (code[0]["metadata"].get("tags", []) if code else []):
            problems.append(f"{path.name}: the first code cell is not the Colab set-up cell")
        elif match is None:
            problems.append(f"{path.name}: set-up cell does not pin attn-lib to a 40-hex commit")
        elif match.group(2) != manifest["commit"]:
            problems.append(f"{path.name}: pinned to {match.group(2)}, manifest says otherwise")
        elif first.find("TF_CPP_MIN_LOG_LEVEL") > first.find("import tensorflow"):
            problems.append(f"{path.name}: TensorFlow is imported before its logs are quieted")
    return problems


# --------------------------------------------------------------------------- venv


def run(cmd: list[str], log: Path, **kwargs: Any) -> None:
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, **kwargs)
    if result.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-30:])
        raise CheckFailed(f"command failed ({result.returncode}): {' '.join(cmd)}\n{tail}")


def ensure_venv(python: str, venv: Path, log: Path) -> Path:
    """Create (or reuse) the Colab-like venv; return its python."""
    if not Path(python).is_file():
        raise CheckFailed(
            f"Python 3.13 not found at {python}: the Colab check needs Colab's Python "
            "(install it with `pyenv install 3.13.0`, or set COLAB_PYTHON)"
        )
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True
    ).stdout.strip()
    if not version.startswith("3.13"):
        raise CheckFailed(f"{python} is Python {version}, the Colab check needs 3.13")
    stamp_value = hashlib.sha256(REQUIREMENTS.read_bytes() + version.encode()).hexdigest()
    stamp = venv / ".colab-check-stamp"
    venv_python = venv / "bin" / "python"
    if stamp.is_file() and stamp.read_text().strip() == stamp_value and venv_python.is_file():
        print(f"colab-check: reusing {venv} (Python {version.split()[0]})", flush=True)
        return venv_python
    print(f"colab-check: creating {venv} from {REQUIREMENTS.name} (log: {log})", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    run([python, "-m", "venv", str(venv)], log)
    run(
        [str(venv_python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r",
         str(REQUIREMENTS)],
        log,
    )  # fmt: skip
    stamp.write_text(stamp_value + "\n")
    return venv_python


def installed(venv_python: Path) -> dict[str, str]:
    out = subprocess.run(
        [str(venv_python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {re.sub(r"[-_.]+", "-", p["name"]).lower(): p["version"] for p in json.loads(out)}


def install_attn_lib(venv_python: Path, log: Path) -> list[str]:
    """Install attn_lib from a copy of this tree; return problems (anything else changed)."""
    run([str(venv_python), "-m", "pip", "uninstall", "-y", "-q", "attn-lib"], log)
    before = installed(venv_python)
    with tempfile.TemporaryDirectory(prefix="attn-lib-src-") as tmp:
        src = Path(tmp)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(REPO / name, src / name)
        shutil.copytree(
            REPO / "attn_lib", src / "attn_lib", ignore=shutil.ignore_patterns("__pycache__")
        )
        run(
            [str(venv_python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
             str(src)],
            log,
        )  # fmt: skip
    after = installed(venv_python)
    problems = []
    added = sorted(set(after) - set(before))
    changed = sorted(n for n in before if n in after and before[n] != after[n])
    removed = sorted(set(before) - set(after))
    if added != ["attn-lib"]:
        problems.append(f"pip install of attn_lib added {added}, expected only ['attn-lib']")
    if changed:
        problems.append(
            "pip install of attn_lib changed preinstalled packages: "
            + ", ".join(f"{n} {before[n]} -> {after[n]}" for n in changed)
        )
    if removed:
        problems.append(f"pip install of attn_lib removed {removed}")
    return problems


def kernel_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env["ATTN_BOOK_QUICK"] = "1"
    env["ATTN_LIB_CACHE_DIR"] = str(workdir / "attn_lib_cache")
    return env


# --------------------------------------------------------------------------- inner (venv) side


def execute_notebooks(paths: list[Path], workdir: Path) -> list[dict[str, Any]]:
    """Run each notebook in a fresh kernel; report errors and stderr (runs in the Colab venv)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    results = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=NOTEBOOK_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(workdir)}},
        )
        start = time.monotonic()
        problems = []
        try:
            client.execute()
        except CellExecutionError as exc:
            problems.append(f"cell error: {str(exc).strip()[-2000:]}")
        except Exception as exc:  # timeouts, dead kernels
            problems.append(f"{type(exc).__name__}: {exc}")
        for index, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    problems.append(f"cell {index} wrote to stderr: {output['text'].strip()[:800]}")
                elif output.get("output_type") == "error" and not problems:
                    problems.append(f"cell {index}: {output['ename']}: {output['evalue']}")
        first_out = "".join(
            o.get("text", "") for o in nb.cells[next(
                i for i, c in enumerate(nb.cells) if c.cell_type == "code"
            )].get("outputs", []) if o.get("output_type") == "stream"
        )  # fmt: skip
        results.append(
            {
                "name": path.name,
                "seconds": round(time.monotonic() - start, 1),
                "problems": problems,
                "setup_output": first_out.strip(),
            }
        )
        status = "ok" if not problems else "FAILED"
        print(f"  {path.name}: {status} ({results[-1]['seconds']} s)", flush=True)
    return results


WIDGET_CODE = r"""
import hashlib
import ipywidgets
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.display import display
from attn_lib import figure_to_png, image_slider

frames = []
for i in range(3):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, i + 1])
    frames.append(figure_to_png(fig, dpi=40))
box = image_slider(frames, description="단계", labels=["가", "나", "다"],
                   alts=["첫째 그래프", "둘째 그래프", "셋째 그래프"])
slider, label, image = box.children
display(box)
import sys
print(ipywidgets.__version__, slider.model_id, label.model_id, image.model_id,
      hashlib.sha256(frames[2]).hexdigest(), sys.prefix)
"""
#: The PNG and the alt text of an image_slider frame (an HTML widget holding one <img>).
FRAME_IMG = re.compile(r'<img [^<>]*alt="([^"<>]*)"[^<>]*src="data:image/png;base64,([^"]+)"')


def widget_protocol_problems(workdir: Path) -> list[str]:
    """Drag the 7.x slider over the kernel protocol and check the image the kernel sends back."""
    import base64
    import hashlib
    from queue import Empty

    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(workdir))
    problems: list[str] = []
    try:
        msg_id = kc.execute(WIDGET_CODE)
        printed, opened = "", {}
        while True:
            msg = kc.get_iopub_msg(timeout=120)
            kind, content = msg["msg_type"], msg["content"]
            if kind == "comm_open":
                opened[content["comm_id"]] = content["data"]["state"].get("_model_name")
            elif kind == "stream" and content["name"] == "stdout":
                printed += content["text"]
            elif kind == "stream" and content["name"] == "stderr":
                problems.append(f"widget kernel wrote to stderr: {content['text'][:400]}")
            elif kind == "error":
                return [f"building the slider failed: {content['ename']}: {content['evalue']}"]
            elif (
                kind == "status"
                and content["execution_state"] == "idle"
                and msg["parent_header"].get("msg_id") == msg_id
            ):
                break
        version, slider_id, label_id, image_id, wanted, prefix = printed.split()
        if prefix != sys.prefix:
            problems.append(f"the kernel runs in {prefix}, not in the Colab venv {sys.prefix}")
        if not version.startswith("7."):
            problems.append(f"the Colab venv has ipywidgets {version}, expected 7.x")
        if opened.get(slider_id) != "IntSliderModel" or opened.get(image_id) != "HTMLModel":
            problems.append(f"unexpected widget models: {opened}")
        # What the browser sends when the reader drags the slider to position 2.
        update = kc.session.msg(
            "comm_msg",
            {"comm_id": slider_id, "data": {"method": "update", "state": {"value": 2},
                                             "buffer_paths": []}},
        )  # fmt: skip
        kc.shell_channel.send(update)
        got_image = got_label = False
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (got_image and got_label):
            try:
                msg = kc.get_iopub_msg(timeout=5)
            except Empty:
                continue
            if msg["msg_type"] != "comm_msg":
                continue
            data = msg["content"]["data"]
            if data.get("method") != "update":
                continue
            if msg["content"]["comm_id"] == image_id and "value" in data["state"]:
                frame = FRAME_IMG.search(data["state"]["value"])
                sent = base64.b64decode(frame.group(2)) if frame else b""
                if hashlib.sha256(sent).hexdigest() == wanted and frame.group(1) == "셋째 그래프":
                    got_image = True
                else:
                    problems.append(
                        "the image display was updated with the wrong frame or alt text: "
                        f"{data['state']['value'][:120]!r}"
                    )
                    break
            elif msg["content"]["comm_id"] == label_id and "다" in data["state"].get("value", ""):
                got_label = True
        if not got_image:
            problems.append("dragging the slider did not send the new frame to the browser")
        if not got_label:
            problems.append("dragging the slider did not update the label")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return problems


def inner_main(args: argparse.Namespace) -> int:
    workdir = Path(args.workdir)
    report: dict[str, Any] = {"notebooks": execute_notebooks([Path(p) for p in args.execute],
                                                             workdir)}  # fmt: skip
    report["widgets"] = widget_protocol_problems(workdir) if args.widgets else []
    Path(args.report).write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


# --------------------------------------------------------------------------- outer side


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--editions", type=Path, default=DEFAULT_EDITIONS)
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--python", default=os.environ.get("COLAB_PYTHON", DEFAULT_PYTHON))
    parser.add_argument("--only", nargs="*", help="edition file names to execute (default: all)")
    parser.add_argument("--execute", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    parser.add_argument("--widgets", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.execute is not None:
        return inner_main(args)

    start = time.monotonic()
    # The notebooks run in a scratch working directory: every path must be absolute.
    args.editions = args.editions.resolve()
    args.venv = args.venv.resolve()
    try:
        problems = static_problems(args.editions)
        if problems:
            for problem in problems:
                print(f"colab-check: FAIL {problem}")
            print(f"colab-check: 0 passed, {len(problems)} failed (static checks)")
            return 1
        files = load_editions(args.editions)[1]
        if args.only:
            files = [f for f in files if f.name in args.only or f.stem in args.only]
        print(f"colab-check: {len(files)} editions pass the static checks", flush=True)
        args.venv.parent.mkdir(parents=True, exist_ok=True)
        log = args.venv.parent / "colab-check-pip.log"
        log.write_text("")
        venv_python = ensure_venv(args.python, args.venv, log)
        venv_seconds = time.monotonic() - start
        problems += install_attn_lib(venv_python, log)
        install_seconds = time.monotonic() - start - venv_seconds
    except CheckFailed as exc:
        print(f"colab-check: ERROR {exc}")
        return 2
    with tempfile.TemporaryDirectory(prefix="colab-check-") as tmp:
        workdir = Path(tmp)
        report_path = workdir / "report.json"
        print(f"colab-check: executing {len(files)} editions (quick mode, fresh kernels)")
        result = subprocess.run(
            [str(venv_python), str(Path(__file__).resolve()), "--execute", *map(str, files),
             "--workdir", str(workdir), "--report", str(report_path), "--widgets"],
            env=kernel_env(workdir),
            cwd=workdir,
        )  # fmt: skip
        if result.returncode != 0 or not report_path.is_file():
            print(f"colab-check: ERROR the execution step crashed (exit {result.returncode})")
            return 2
        report = json.loads(report_path.read_text())
    passed = failed = 0
    for entry in report["notebooks"]:
        if entry["problems"]:
            failed += 1
            for problem in entry["problems"]:
                print(f"colab-check: FAIL {entry['name']}: {problem}")
        else:
            passed += 1
    for problem in problems + report["widgets"]:
        failed += 1
        print(f"colab-check: FAIL {problem}")
    if not report["widgets"]:
        passed += 1
        print("colab-check: ipywidgets 7.x slider answers a drag with the selected frame")
    setup = report["notebooks"][0]["setup_output"] if report["notebooks"] else ""
    print(f"colab-check: first cell says: {setup}")
    total = time.monotonic() - start
    print(
        f"colab-check: venv {venv_seconds:.0f} s, attn_lib install {install_seconds:.0f} s, "
        f"total {total:.0f} s"
    )
    print(f"colab-check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
