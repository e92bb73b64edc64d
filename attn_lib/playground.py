"""A "try it yourself" box: the reader types an input and the trained model answers in the page.

:func:`playground` exports the model (:mod:`attn_lib.export`) and returns an object whose HTML
output is a text box, an answer line and the attention of every answer, drawn by the book's
attention view (:mod:`attn_lib.attention_view`). The model runs in the reader's browser
(``attn_lib/static/seq2seq_runtime.js``): no kernel, no network.

Two ways to ship the weights (``mode``):

* ``"files"`` (the built book): the model file and the runtime are written, content-hashed, to a
  folder — ``ATTN_BOOK_WEBMODELS`` or ``directory`` — and the output only references them by name
  (``data-attn-files``). The book's Sphinx extension ``book/_ext/webmodels.py`` copies exactly the
  referenced files into ``<site>/webmodels/`` and fails the build if one is missing. The page
  loads them with ``<script>`` tags (which, unlike ``fetch``, also work from ``file://``).
* ``"inline"`` (Colab, Jupyter, VS Code): runtime and weights are embedded in the output itself.

``"auto"`` picks ``"files"`` when ``ATTN_BOOK_WEBMODELS`` is set (the book's Makefile sets it) and
``"inline"`` otherwise. See ``docs/browser-model.md``.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import keras

from attn_lib.attention_view import SCALE, _cmap_stops, script_bundle
from attn_lib.decoding import greedy_decode
from attn_lib.export import RUNTIME_PATH, ModelExport, _write_if_changed, export_model
from attn_lib.tasks import Seq2SeqData
from attn_lib.viz import END_TOKEN

__all__ = ["MODES", "WEBMODELS_ENV", "Playground", "playground", "runtime_script"]

#: Environment variable naming the folder where ``mode="files"`` writes (set by the Makefile).
WEBMODELS_ENV = "ATTN_BOOK_WEBMODELS"
#: Where a book page finds the files, relative to the site root (``data-content_root``).
SITE_FOLDER = "webmodels"
MODES = ("auto", "files", "inline")

_UI_PATH = RUNTIME_PATH.with_name("seq2seq_playground.js")
_COUNTER = itertools.count(1)
#: Colour map of the box's attention view (the chapters' heatmaps use the same).
CMAP = "viridis"

_STYLE = """<style>
/* The page's own fonts: a generic monospace font may have no Hangul. */
.attn-playground{border:1px solid rgba(127,127,127,.4);border-radius:6px;padding:.8em 1em;
 margin:1em 0}
.attn-playground label{display:block;font-weight:600;margin-bottom:.3em}
.attn-playground input{width:100%;max-width:28em;font-size:1.1em;padding:.3em .5em;
 box-sizing:border-box}
.attn-playground button{margin:.3em .3em 0 0;font-size:.9em}
.attn-playground [data-role=answer]{margin:.6em 0;min-height:1.5em}
.attn-playground[data-state=error] [data-role=answer]{color:#c0392b}
.attn-playground-output{font-size:1.2em;font-weight:600;font-variant-numeric:tabular-nums}
</style>"""


def runtime_script() -> str:
    """What ``attn_playground-*.js`` holds: the runtime, the attention view, the box's script.

    The view's bundle defines ``window.attnLibView`` once per page (versioned), so a page that
    also shows attention views (each with its inline loader) runs one copy of it.
    """
    runtime = RUNTIME_PATH.read_text(encoding="utf-8")
    ui = _UI_PATH.read_text(encoding="utf-8")
    return f"{runtime}\n{script_bundle()}\n{ui}"


def _hashed_name(stem: str, text: str) -> str:
    return f"{stem}-{hashlib.sha256(text.encode()).hexdigest()[:12]}.js"


def _inline(text: str) -> str:
    """Script text safe inside an HTML ``<script>`` element (``</`` cannot end it early)."""
    return text.replace("</", "<\\/")


@dataclass(frozen=True)
class Playground:
    """The box's HTML output (``_repr_html_``) and the exported model behind it.

    Attributes:
        exported: the model as the browser runs it (:class:`~attn_lib.export.ModelExport`).
        html: the complete output: style, box and script.
        files: names of the files the output loads from ``<site>/webmodels/`` (empty inline).
        mode: ``"files"`` or ``"inline"``.
    """

    exported: ModelExport
    html: str
    files: tuple[str, ...]
    mode: str

    def _repr_html_(self) -> str:
        return self.html

    @property
    def embedded_bytes(self) -> int:
        """Size of the output itself (what the notebook and the page carry)."""
        return len(self.html.encode("utf-8"))


def playground(
    model: keras.Model,
    data: Seq2SeqData,
    *,
    name: str,
    label: str = "직접 입력해 보세요",
    examples: Sequence[str] = (),
    mode: str = "auto",
    directory: str | Path | None = None,
) -> Playground:
    """A text box where the reader's input runs through ``model`` in the browser.

    Args:
        model: the trained :class:`~attn_lib.models.AttentionSeq2Seq` (exported as float16).
        data: its task (vocabularies and input transforms, e.g. the reversed addition query).
        name: short lower-case name of the model file (``"dates"``).
        label: the text box's label.
        examples: queries offered as buttons; the first one fills the box at the start. Each
            button also carries Keras' answer with the shipped weights (``data-answer``).
        mode: ``"files"``, ``"inline"`` or ``"auto"`` (see the module docstring).
        directory: where ``"files"`` writes (default: ``$ATTN_BOOK_WEBMODELS``).

    Raises:
        ValueError: for an unknown mode, ``"files"`` without a folder, an example the model
            cannot take, or anything :func:`~attn_lib.export.export_model` rejects.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if isinstance(examples, str):
        raise ValueError("examples must be a list of strings, not a single str")
    examples = list(dict.fromkeys(examples))
    for example in examples:
        try:
            data.encode_inputs(example)
        except ValueError as error:
            raise ValueError(f"example {example!r} does not fit the model: {error}") from None
    if directory is None and os.environ.get(WEBMODELS_ENV, "").strip():
        directory = os.environ[WEBMODELS_ENV].strip()
    if mode == "auto":
        mode = "files" if directory is not None else "inline"
    if mode == "files" and directory is None:
        raise ValueError(f"mode='files' needs directory= or the {WEBMODELS_ENV} variable")
    exported = export_model(model, data, name=name)
    box_id = f"attn-playground-{exported.key}-{next(_COUNTER)}"
    answers = _keras_answers(exported, data, examples)
    box = _box_html(box_id, exported.key, label, dict(zip(examples, answers, strict=True)))
    script = runtime_script()
    if mode == "files":
        folder = Path(directory)  # type: ignore[arg-type]
        runtime_name = _hashed_name("attn_playground", script)
        _write_if_changed(folder / runtime_name, script)
        exported.write(folder)
        files = (runtime_name, exported.filename)
        body = box.replace("<div ", f'<div data-attn-files="{" ".join(files)}" ', 1)
        body += f"<script>{_inline(_files_bootstrap(box_id, exported.key, files))}</script>"
    else:
        files = ()
        body = box + (
            f"<script>{_inline(script)}</script>"
            f"<script>{_inline(exported.script())}</script>"
            f"<script>{_inline(_mount(box_id, exported.key))}</script>"
        )
    return Playground(exported=exported, html=_STYLE + body, files=files, mode=mode)


def _keras_answers(exported: ModelExport, data: Seq2SeqData, examples: list[str]) -> list[str]:
    """What Keras answers for the examples with the shipped (float16) weights."""
    if not examples:
        return []
    decoded = greedy_decode(
        exported.to_keras(), data.encode_inputs(examples), vocab=data.target_vocab
    )
    return list(decoded.texts or [])


def _box_html(box_id: str, key: str, label: str, examples: dict[str, str]) -> str:
    value = html.escape(next(iter(examples))) if examples else ""
    # data-answer: Keras' answer with the same weights, so a test of the page can compare.
    buttons = "".join(
        f'<button type="button" data-example="{html.escape(example)}" '
        f'data-answer="{html.escape(answer)}">{html.escape(example)}</button>'
        for example, answer in examples.items()
    )
    example_row = f'<div class="attn-playground-examples">예: {buttons}</div>' if examples else ""
    return (
        f'<div class="attn-playground" id="{box_id}" data-model="{key}" lang="ko">'
        f'<label for="{box_id}-input">{html.escape(label)}</label>'
        f'<input id="{box_id}-input" type="text" value="{value}" autocomplete="off" '
        f'autocapitalize="off" spellcheck="false" disabled aria-describedby="{box_id}-answer">'
        f"{example_row}"
        f'<p id="{box_id}-answer" data-role="answer" role="status" aria-live="polite">'
        "모델을 불러오는 중입니다…</p>"
        f'<div id="{box_id}-attention" data-role="attention" {_view_attributes()}></div>'
        "<noscript>이 상자는 자바스크립트가 켜져 있어야 동작합니다.</noscript>"
        "</div>"
    )


def _view_attributes() -> str:
    """How the box's script draws attention views: weight scale, END label, colour stops."""
    cmap = html.escape(json.dumps(_cmap_stops(CMAP)))
    return f'data-scale="{SCALE}" data-end="{html.escape(END_TOKEN)}" data-cmap="{cmap}"'


def _mount(box_id: str, key: str) -> str:
    return (
        "(function () {"
        f"var box = document.getElementById({json.dumps(box_id)});"
        f"try {{ AttnPlayground.mount(box, AttnSeq2Seq.fromRegistry({json.dumps(key)})); }}"
        " catch (error) {"
        " AttnPlayground.fail(box, '모델을 불러오지 못했습니다: ' + error.message); }"
        "})();"
    )


def _files_bootstrap(box_id: str, key: str, files: tuple[str, ...]) -> str:
    """Load the runtime and the model file by <script> (once per page), then mount the box."""
    return (
        "(function () {"
        f"var box = document.getElementById({json.dumps(box_id)});"
        "var say = function (text) {"
        " box.dataset.state = 'error'; box.dataset.errorCode = 'load';"
        " box.querySelector('[data-role=answer]').textContent = text; };"
        "var root = document.documentElement.getAttribute('data-content_root');"
        "if (root === null) { say('이 상자는 책의 웹 페이지에서 동작합니다.'); return; }"
        "var loads = window.__attnPlaygroundLoads = window.__attnPlaygroundLoads || {};"
        "var load = function (src) {"
        " if (!loads[src]) { loads[src] = new Promise(function (resolve, reject) {"
        "  var tag = document.createElement('script'); tag.src = src; tag.async = false;"
        "  tag.onload = resolve; tag.onerror = function () { reject(new Error(src)); };"
        "  document.head.appendChild(tag); }); }"
        " return loads[src]; };"
        f"Promise.all({json.dumps(list(files))}.map(function (name) {{"
        f" return load(root + {json.dumps(SITE_FOLDER + '/')} + name); }}))"
        ".then(function () {"
        f" try {{ AttnPlayground.mount(box, AttnSeq2Seq.fromRegistry({json.dumps(key)})); }}"
        " catch (error) { say('모델을 불러오지 못했습니다: ' + error.message); } },"
        " function (error) { say('모델 파일을 불러오지 못했습니다: ' + error.message); });"
        "})();"
    )
