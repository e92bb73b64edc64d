"""Measure the two candidate drawing layers of the attention view (docs/attention-view.md).

Compares, for the book's explorer shapes (as in tests/test_attention_view.py):

* **attn_lib's hand-written view** (``attn_lib.attention_view``): HTML output bytes, script size,
  key-to-frame latency of a slider move in headless Chromium, offline and in a sandboxed iframe;
* **Vega-Lite via Altair** (the same heatmap with slider-bound parameters, tooltips and a click
  selection): spec bytes, the output bytes as Altair's HTML renderer writes it (libraries from a
  CDN) and with vega, vega-lite and vega-embed inlined (what an offline, self-contained output
  would need), the libraries' size, the latency of the same slider move, and whether the
  libraries load on a Jupyter Book page that already has require.js (ipywidgets) and inside a
  sandboxed iframe with no network.

Altair and the Vega libraries are not dependencies of the book: give their locations.

    uv venv /tmp/vega-venv && uv pip install --python /tmp/vega-venv/bin/python \\
        altair==5.5.0 vl-convert-python==1.9.0 numpy pandas
    npm install --prefix /tmp/vega-npm vega@5.33.1 vega-lite@5.20.1 vega-embed@6.29.0
    .venv/bin/python tools/measure_view_layers.py --altair-python /tmp/vega-venv/bin/python \\
        --vega-modules /tmp/vega-npm/node_modules [--out test-output/view_layers.json]

Prints a Markdown table and writes the raw numbers as JSON.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attn_lib.attention_view import attention_view, script_bundle  # noqa: E402
from tests.conftest import CHROMIUM_ARGS, serve_directory  # noqa: E402

#: name, attention shape, view arguments (the book's explorers at full-build size).
SHAPES = [
    ("ch5 examples", (8, 9, 8), {"over": "examples"}),
    ("ch6 steps", (1, 5, 7), {"over": "steps", "annotate": True}),
    ("ch8 examples", (10, 11, 30), {"over": "examples"}),
    ("ch8 epochs", (6, 6, 11, 30), {"over": "epochs", "example": 1}),
]
SAMPLES = 15
LIBS = (
    "vega/build/vega.min.js",
    "vega-lite/build/vega-lite.min.js",
    "vega-embed/build/vega-embed.min.js",
)
VEGA_READY = "document.body.dataset.ready === '1'"
VEGA_DRAWN = "!!document.querySelector('svg.marks, canvas.marks')"
OWN_READY = "!!document.querySelector('.av-cell')"

# Runs in the Altair interpreter: the same view as a Vega-Lite chart. stdin: the data as JSON.
ALTAIR_SCRIPT = r"""
import json, sys
import altair as alt
import pandas as pd
import vl_convert as vlc

cases = json.load(sys.stdin)
result = {}
# Altair refuses more than 5000 rows by default (ch8 epochs has 11880 cells): lifted here.
alt.data_transformers.disable_max_rows()
for name, case in cases.items():
    rows = []
    for e, by_example in enumerate(case["weights"]):
        for i, matrix in enumerate(by_example):
            for r, line in enumerate(matrix):
                for c, w in enumerate(line):
                    rows.append({"epoch": e, "example": i, "row": r, "col": c, "w": round(w, 3),
                                 "out": f"{r}:{case['outputs'][i][r]}",
                                 "inp": f"{c}:{case['inputs'][i][c]}"})
    df = pd.DataFrame(rows)
    n_examples, n_epochs = len(case["weights"][0]), len(case["weights"])
    example = alt.param(name="example", value=0, bind=alt.binding_range(
        min=0, max=max(n_examples - 1, 1), step=1, name="예시 "))
    epoch = alt.param(name="epoch", value=0, bind=alt.binding_range(
        min=0, max=max(n_epochs - 1, 1), step=1, name="에폭 "))
    step = alt.param(name="step", value=0, bind=alt.binding_range(
        min=0, max=len(case["weights"][0][0]), step=1, name="디코더 단계 "))
    pick = alt.selection_point(fields=["col"], on="click", name="pick")
    chart = (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("inp:N", sort=None, title="입력"),
            y=alt.Y("out:N", sort=None, title="출력"),
            color=alt.Color("w:Q", scale=alt.Scale(scheme="viridis", domain=[0, 1])),
            opacity=alt.condition("step == 0 || datum.row < step", alt.value(1), alt.value(0.3)),
            stroke=alt.condition(pick, alt.value("#e4572e"), alt.value(None)),
            tooltip=["out", "inp", alt.Tooltip("w:Q", format=".3f")],
        )
        .add_params(example, epoch, step, pick)
        .transform_filter("datum.example == example && datum.epoch == epoch")
    )
    spec = chart.to_dict()
    html_cdn = chart.to_html()
    t0 = __import__("time").perf_counter()
    png = vlc.vegalite_to_png(spec, scale=1)
    png_seconds = __import__("time").perf_counter() - t0
    result[name] = {"spec": json.dumps(spec, separators=(",", ":")), "html_cdn": html_cdn,
                    "png_bytes": len(png), "png_seconds": png_seconds,
                    "rows": len(df)}
result["versions"] = {"altair": alt.__version__, "vega_lite": alt.VEGALITE_VERSION,
                      "vl_convert": vlc.__version__}
json.dump(result, sys.stdout)
"""

VEGA_PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8">{pre}{libs}</head>
<body><div id="chart"></div><script>
window.__errors = [];
vegaEmbed("#chart", {spec}, {{actions: false, renderer: "svg"}}).then((r) => {{
  window.__view = r.view; document.body.dataset.ready = "1"; }})
  .catch((e) => {{ window.__errors.push(String(e)); }});
</script></body></html>"""

OWN_PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8">{pre}</head>
<body>{body}</body></html>"""

# Vega: set the slider's input value, dispatch "input", then time runAsync + the next frame.
VEGA_MOVE_JS = """async () => {
  const input = document.querySelector(".vega-bindings input[type=range]");
  const start = performance.now();
  input.value = String((Number(input.value) + 1) % (Number(input.max) + 1));
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await window.__view.runAsync();
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return performance.now() - start;
}"""

OWN_MOVE_JS = """async () => {
  const input = document.querySelector(".attn-view .av-range");
  const start = performance.now();
  input.value = String((Number(input.value) + 1) % (Number(input.max) + 1));
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return performance.now() - start;
}"""


def _data(shape: tuple[int, ...], seed: int = 0) -> tuple[np.ndarray, list, list]:
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.full(shape[-1], 0.2), size=shape[:-1])
    n_examples, t_out, t_in = shape[-3:]
    digits = "0123456789-/. 년월일"
    inputs = [[digits[(i + j) % len(digits)] for j in range(t_in)] for i in range(n_examples)]
    outputs = [
        [digits[(i * 3 + j) % 10] for j in range(t_out - 1)] + ["</s>"] for i in range(n_examples)
    ]
    return weights, inputs, outputs


def _chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(
        executable_path=os.environ.get("ATTN_BOOK_CHROMIUM", "/usr/bin/chromium"),
        headless=True,
        args=CHROMIUM_ARGS,
    )


def _open(browser: Any, url: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r: Any) -> None:
        if r.request.url.startswith(url.rsplit("/", 1)[0]) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    return context, page, errors + outside


def _latency(page: Any, script: str) -> dict[str, float]:
    for _ in range(3):  # warm up
        page.evaluate(script)
    times = [page.evaluate(script) for _ in range(SAMPLES)]
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--altair-python", required=True, type=Path)
    parser.add_argument("--vega-modules", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "test-output" / "view_layers.json")
    args = parser.parse_args()

    cases: dict[str, Any] = {}
    own: dict[str, Any] = {}
    for name, shape, kwargs in SHAPES:
        weights, inputs, outputs = _data(shape)
        t0 = time.perf_counter()
        view = attention_view(weights, inputs, outputs, **kwargs)
        own[name] = {"view": view, "seconds": time.perf_counter() - t0}
        stacked = weights if weights.ndim == 4 else weights[None]
        cases[name] = {"weights": stacked.tolist(), "inputs": inputs, "outputs": outputs}
    run = subprocess.run(
        [str(args.altair_python), "-c", ALTAIR_SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode:
        raise SystemExit(f"the Altair side failed:\n{run.stderr[-3000:]}")
    altair = json.loads(run.stdout)
    libs = [(args.vega_modules / lib).read_text(encoding="utf-8") for lib in LIBS]
    lib_bytes = sum(len(t.encode()) for t in libs)
    lib_gzip = sum(len(gzip.compress(t.encode(), 9)) for t in libs)
    versions = {}
    for lib in LIBS:
        name = lib.split("/")[0]
        manifest = args.vega_modules / name / "package.json"
        versions[name] = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    bundle = script_bundle().encode()
    results: dict[str, Any] = {
        "machine_load": os.getloadavg(),
        "versions": {**altair.pop("versions"), **versions},
        "vega_libraries_bytes": lib_bytes,
        "vega_libraries_gzip_bytes": lib_gzip,
        "own_script_bytes": len(bundle),
        "own_script_gzip_bytes": len(gzip.compress(bundle, 9)),
        "cases": {},
    }

    from playwright.sync_api import sync_playwright

    require_js = (ROOT / "book/_assets/vendor/require.js").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        root = Path(folder)
        for i, lib in enumerate(libs):
            (root / f"lib{i}.js").write_text(lib, encoding="utf-8")
        script_tags = "".join(f'<script src="lib{i}.js"></script>' for i in range(len(libs)))
        inline_tags = "".join(f"<script>{lib}</script>" for lib in libs)
        browser = _chromium(playwright)
        with serve_directory(root) as url:
            for name, _, _ in SHAPES:
                a = altair[name]
                view = own[name]["view"]
                pages = {
                    "vega.html": VEGA_PAGE.format(pre="", libs=script_tags, spec=a["spec"]),
                    "vega_require.html": VEGA_PAGE.format(
                        pre=f"<script>{require_js}</script>", libs=script_tags, spec=a["spec"]
                    ),
                    "own.html": OWN_PAGE.format(pre="", body=view.html),
                    "own_require.html": OWN_PAGE.format(
                        pre=f"<script>{require_js}</script>", body=view.html
                    ),
                }
                inlined = VEGA_PAGE.format(pre="", libs=inline_tags, spec=a["spec"])
                sandbox = (
                    '<!doctype html><html><body><iframe sandbox="allow-scripts" '
                    'style="width:900px;height:800px" srcdoc="{}"></iframe>'
                    '<iframe sandbox="allow-scripts" srcdoc="{}"></iframe></body></html>'
                )
                pages["sandbox_vega_cdn.html"] = sandbox.format(
                    html.escape(a["html_cdn"], quote=True), ""
                )
                pages["sandbox_vega_inline.html"] = sandbox.format(
                    html.escape(inlined, quote=True), ""
                )
                pages["sandbox_own.html"] = sandbox.format(
                    html.escape(OWN_PAGE.format(pre="", body=view.html), quote=True), ""
                )
                for file, text in pages.items():
                    (root / file).write_text(text, encoding="utf-8")
                case: dict[str, Any] = {
                    "rows": a["rows"],
                    "own_html_bytes": view.payload_bytes,
                    "own_seconds": round(own[name]["seconds"], 3),
                    "vega_spec_bytes": len(a["spec"].encode()),
                    "vega_html_cdn_bytes": len(a["html_cdn"].encode()),
                    "vega_html_inlined_bytes": len(inlined.encode()),
                    "vl_convert_png_bytes": a["png_bytes"],
                    "vl_convert_seconds": round(a["png_seconds"], 3),
                }
                for label, file, ready, move in (
                    ("vega", "vega.html", VEGA_READY, VEGA_MOVE_JS),
                    ("own", "own.html", OWN_READY, OWN_MOVE_JS),
                ):
                    context, page, problems = _open(browser, url + file)
                    page.wait_for_function(f"() => {ready}", timeout=30_000)
                    case[f"{label}_latency"] = _latency(page, move)
                    case[f"{label}_problems"] = problems
                    context.close()
                for label, file, ready in (
                    ("vega_with_requirejs", "vega_require.html", VEGA_READY),
                    ("own_with_requirejs", "own_require.html", OWN_READY),
                ):
                    context, page, problems = _open(browser, url + file)
                    page.wait_for_timeout(2000)
                    case[label] = {
                        "renders": page.evaluate(f"() => {ready}"),
                        "errors": problems[:3],
                    }
                    context.close()
                for label, file, ready in (
                    ("sandbox_vega_cdn", "sandbox_vega_cdn.html", VEGA_DRAWN),
                    ("sandbox_vega_inline", "sandbox_vega_inline.html", VEGA_DRAWN),
                    ("sandbox_own", "sandbox_own.html", OWN_READY),
                ):
                    context, page, problems = _open(browser, url + file)
                    page.wait_for_timeout(2500)
                    frame = page.locator("iframe").first.element_handle().content_frame()
                    case[label] = {
                        "renders": frame.evaluate(f"() => {ready}"),
                        "errors": problems[:3],
                    }
                    context.close()
                results["cases"][name] = case
        browser.close()
    results["machine_load_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "cases"}, ensure_ascii=False))
    print("| case | own HTML | Vega spec | Vega HTML, CDN | Vega HTML, inlined | own | Vega |")
    print("|---|---|---|---|---|---|---|")
    for name, c in results["cases"].items():
        sizes = [
            c[key] / 1024
            for key in (
                "own_html_bytes",
                "vega_spec_bytes",
                "vega_html_cdn_bytes",
                "vega_html_inlined_bytes",
            )
        ]
        print(
            f"| {name} | " + " | ".join(f"{kb:.1f} kB" for kb in sizes) + " | "
            f"{c['own_latency']['median_ms']} ms | {c['vega_latency']['median_ms']} ms |"
        )


if __name__ == "__main__":
    main()
