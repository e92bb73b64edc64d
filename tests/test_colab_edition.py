"""Colab edition converter (tools/colab_edition.py): one test per conversion rule.

Pure unit tests: no book build needed. The built editions are tested in tests/test_colab_site.py.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT


def _load(name: str) -> Any:
    path = REPO_ROOT / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ce = _load("colab_edition")
MARK = ce.MEASURED_MARK
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def _glue(text: str, **extra: str) -> dict[str, Any]:
    return {"output_type": "display_data", "data": {"text/plain": text, **extra}, "metadata": {}}


def _resolve(role: str, target: str, docname: str) -> Any:
    pages = {
        ("doc", "../book/benchmarks"): ce.Link("https://b/book/benchmarks.html", "벤치마크"),
        ("term", "어텐션"): ce.Link("https://b/book/glossary.html#term-0", "어텐션"),
        ("ref", "sec-intro"): ce.Link("https://b/notebooks/01_intro.html#sec-intro", "들어가며"),
        ("numref", "fig-x"): ce.Link("https://b/notebooks/02.html#fig-x", "그림 2.1"),
        ("eq", "eq-softmax"): ce.Link("https://b/notebooks/01.html#equation-eq-softmax", "(1)"),
        ("py:func", "attn_lib.train"): ce.Link("https://b/book/api.html#attn_lib.train", "x"),
    }
    if (role, target) not in pages:
        raise KeyError(target)
    return pages[(role, target)]


@pytest.fixture
def context(tmp_path: Path) -> Any:
    (tmp_path / "figs").mkdir()
    (tmp_path / "figs" / "plot.png").write_bytes(PNG)
    return ce.EditionContext(
        name="notebooks/02_demo.ipynb",
        docname="notebooks/02_demo",
        source_dir=tmp_path,
        glue={
            "acc": _glue("0.91234"),
            "epochs": _glue("12"),
            "big": _glue("1234567"),
            "tiny": _glue("0.000123"),
            "name": _glue("'어텐션'"),
            "md": _glue("'x'", **{"text/markdown": "**굵게** 3.5"}),
            "fig": _glue("<Figure>", **{"image/png": base64.b64encode(PNG).decode()}),
        },
        citations={
            "bahdanau2015neural": ce.Citation(
                "bahdanau2015neural", ("Bahdanau", "Cho", "Bengio"), "2015", "https://b/r.html#b"
            ),
            "hochreiter1997long": ce.Citation(
                "hochreiter1997long", ("Hochreiter", "Schmidhuber"), "1997", "https://b/r.html#h"
            ),
            "graves2013speech": ce.Citation("graves2013speech", ("Graves",), "2013", ""),
        },
        resolve=_resolve,
    )


def convert(text: str, context: Any) -> str:
    return ce.convert_markdown(text, context)


# ------------------------------------------------------------------ glue


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("{glue:text}`acc:.3f`", "0.912"),
        ("{glue:text}`acc:.1%`", "91.2%"),
        ("{glue:text}`acc:.2e`", "9.12e-01"),
        ("{glue:text}`acc:.4g`", "0.9123"),
        ("{glue:text}`acc`", "0.91234"),
        ("{glue:text}`epochs:d`", "12"),
        ("{glue:text}`epochs:.1f`", "12.0"),
        ("{glue:text}`big:,d`", "1,234,567"),
        ("{glue:text}`big:,.0f`", "1,234,567"),
        ("{glue:text}`tiny:.1e`", "1.2e-04"),
        ("{glue:text}`name`", "어텐션"),
        ("{glue:text}`name:s`", "어텐션"),
        ("{glue}`epochs`", "12"),
        ("{glue:}`epochs`", "12"),
        ("{glue:any}`epochs`", "12"),
    ],
)
def test_glue_roles_become_the_measured_value_with_every_format_spec(
    context: Any, role: str, expected: str
) -> None:
    assert convert(f"정확도는 {role}입니다.", context) == f"정확도는 {expected}{MARK}입니다."


def test_glue_values_are_formatted_exactly_like_myst_nb(context: Any) -> None:
    from myst_nb.core.variables import format_plain_text

    for spec in (".3f", ".0f", ".1e", ".2f", ",d", "d", ".1f", ""):
        for text in ("0.91234", "12", "1234567"):
            if spec in ("d", ",d") and "." in text:
                continue
            assert ce.format_glue_text(text, spec) == format_plain_text(text, spec)


def test_glue_md_and_glue_figure(context: Any) -> None:
    assert convert("{glue:md}`md`", context) == f"**굵게** 3.5{MARK}"
    converter = ce._Converter(context)
    out = converter.blocks(":::{glue:figure} fig\n:name: fig-glued\n그림 설명\n:::")
    assert out.startswith("![fig](attachment:fig.png)")
    assert out.endswith("그림 설명")
    assert converter.attachments["fig.png"]["image/png"] == base64.b64encode(PNG).decode()


def test_missing_glue_key_names_the_notebook_and_the_key(context: Any) -> None:
    with pytest.raises(ce.ConversionError) as error:
        convert("값 {glue:text}`nope:.3f`", context)
    message = str(error.value)
    assert "notebooks/02_demo.ipynb" in message and "'nope'" in message


def test_glue_value_that_cannot_take_the_format_is_an_error(context: Any) -> None:
    with pytest.raises(ce.ConversionError, match="name"):
        convert("{glue:text}`name:.3f`", context)


def test_glue_value_is_escaped_for_markdown(context: Any) -> None:
    context.glue = {"odd": _glue("'a*b_$c'")}
    assert convert("{glue:text}`odd`", context) == rf"a\*b\_\$c{MARK}"


# ------------------------------------------------------------------ citations and links


def test_cite_with_several_keys(context: Any) -> None:
    out = convert("모델 {cite}`bahdanau2015neural, hochreiter1997long,graves2013speech`.", context)
    assert out == (
        "모델 ([Bahdanau 외, 2015](https://b/r.html#b); "
        "[Hochreiter & Schmidhuber, 1997](https://b/r.html#h); Graves, 2013)."
    )


def test_cite_textual_and_unknown_key(context: Any) -> None:
    assert convert("{cite:t}`bahdanau2015neural`", context) == (
        "[Bahdanau 외](https://b/r.html#b)(2015)"
    )
    with pytest.raises(ce.ConversionError, match="'nobody2020'"):
        convert("{cite}`nobody2020`", context)


def test_bibliography_is_read_from_the_books_bib_file() -> None:
    refs = ce.load_bibliography(REPO_ROOT / "book" / "references.bib", lambda key: f"#{key}")
    assert refs["bahdanau2015neural"].author_text() == "Bahdanau 외"
    assert refs["bahdanau2015neural"].year == "2015"
    assert refs["hochreiter1997long"].author_text() == "Hochreiter & Schmidhuber"
    assert refs["hochreiter1997long"].url == "#hochreiter1997long"


def test_term_ref_doc_numref_eq_and_python_roles_become_links(context: Any) -> None:
    text = (
        "{term}`어텐션`, {term}`가중치 <어텐션>`, {ref}`sec-intro`, {doc}`../book/benchmarks`, "
        "{numref}`fig-x`, {eq}`eq-softmax`, {func}`~attn_lib.train`"
    )
    assert convert(text, context) == (
        "[어텐션](https://b/book/glossary.html#term-0), "
        "[가중치](https://b/book/glossary.html#term-0), "
        "[들어가며](https://b/notebooks/01_intro.html#sec-intro), "
        "[벤치마크](https://b/book/benchmarks.html), "
        "[그림 2.1](https://b/notebooks/02.html#fig-x), "
        "[(1)](https://b/notebooks/01.html#equation-eq-softmax), "
        "[`train`](https://b/book/api.html#attn_lib.train)"
    )


def test_unknown_reference_target_and_unknown_role_are_errors(context: Any) -> None:
    with pytest.raises(ce.ConversionError, match="sec-missing"):
        convert("{ref}`sec-missing`", context)
    with pytest.raises(ce.ConversionError, match=r"role \{madeup\}"):
        convert("{madeup}`x`", context)


def test_code_spans_keep_role_syntax_verbatim(context: Any) -> None:
    text = "프로즈에서는 ``{glue:text}`key:.3f` `` 형태로 씁니다."
    assert convert(text, context) == text


# ------------------------------------------------------------------ admonitions and dropdowns


def test_admonition_becomes_open_details(context: Any) -> None:
    out = convert(":::{admonition} 참고 {cite}`graves2013speech`\n본문 $x$\n:::", context)
    assert out == (
        "<details open>\n<summary><b>참고 (Graves, 2013)</b></summary>\n\n본문 $x$\n\n</details>"
    )


def test_dropdown_admonition_becomes_closed_details(context: Any) -> None:
    source = "1. 문제\n\n:::{admonition} 힌트\n:class: dropdown\n값은 {glue:text}`acc:.2f`\n:::\n"
    out = convert(source, context)
    assert out == (
        f"1. 문제\n\n<details>\n<summary><b>힌트</b></summary>\n\n값은 0.91{MARK}\n\n</details>\n"
    )


def test_named_admonitions_dropdown_directive_and_nesting(context: Any) -> None:
    out = convert("::::{note}\n바깥\n:::{dropdown} 풀이\n안쪽\n:::\n::::", context)
    assert out == (
        "<details open>\n<summary><b>노트</b></summary>\n\n바깥\n"
        "<details>\n<summary><b>풀이</b></summary>\n\n안쪽\n\n</details>\n\n</details>"
    )
    backticks = convert("```{tip}\n짧게\n```", context)
    assert backticks.startswith("<details open>\n<summary><b>팁</b></summary>")


def test_indented_admonition_stays_inside_its_list_item(context: Any) -> None:
    source = "1. 문제\n\n   :::{admonition} 힌트\n   :class: dropdown\n   설명\n   :::"
    assert convert(source, context) == (
        "1. 문제\n\n   <details>\n   <summary><b>힌트</b></summary>\n\n   설명\n\n   </details>"
    )


# ------------------------------------------------------------------ figures, math, other blocks


def test_figure_is_embedded_as_an_attachment_with_its_caption(context: Any) -> None:
    converter = ce._Converter(context)
    out = converter.blocks(
        "```{figure} figs/plot.png\n:name: fig-plot\n:alt: 곡선\n:width: 80%\n\n"
        "**그림 1** 설명\n```"
    )
    assert out == "![곡선](attachment:plot.png)\n\n**그림 1** 설명"
    assert converter.attachments == {"plot.png": {"image/png": base64.b64encode(PNG).decode()}}
    assert converter.blocks("![그림](figs/plot.png)") == "![그림](attachment:plot.png)"
    with pytest.raises(ce.ConversionError, match=r"missing\.png"):
        converter.blocks(":::{figure} figs/missing.png\n:::")


def test_math_stays_dollar_math_and_math_role_directive_become_dollars(context: Any) -> None:
    text = "식 $a_t = \\frac{1}{2}$ 과\n\n$$\n\\alpha_{t,s} = \\mathrm{softmax}(e_{t,s})\n$$\n"
    assert convert(text, context) == text
    assert convert("{math}`x^2`", context) == "$x^2$"
    assert convert("```{math}\n:label: eq-a\ny = x\n```", context) == "$$\ny = x\n$$"


def test_targets_comments_block_breaks_and_code_blocks(context: Any) -> None:
    source = "(sec-a)=\n## 제목\n% 메모\n+++\n```python\n{glue:text}`not_a_role`\n```\n끝"
    assert convert(source, context) == "## 제목\n```python\n{glue:text}`not_a_role`\n```\n끝"


def test_unknown_directive_is_an_error(context: Any) -> None:
    with pytest.raises(ce.ConversionError, match=r"directive \{tab-set\}"):
        convert(":::{tab-set}\nx\n:::", context)


def test_substitutions_are_replaced_or_rejected(context: Any) -> None:
    context.substitutions = {"이름": "어텐션"}
    math = "$\\frac{{a}}{b}$"
    assert convert(f"{{{{ 이름 }}}} 그리고 {math}", context) == f"어텐션 그리고 {math}"
    with pytest.raises(ce.ConversionError, match="없는값"):
        convert("{{ 없는값 }}", context)


# ------------------------------------------------------------------ detector


@pytest.mark.parametrize(
    "text",
    [
        "값 {glue:text}`acc:.3f`",
        "{cite}`a`",
        ":::{admonition} 힌트\n:::",
        "```{note}\nx\n```",
        "(label)=\n# 제목",
        "% 주석",
        "+++",
        ":class: dropdown",
        "용어\n: 정의",
        "{{ name }}",
    ],
)
def test_detector_finds_every_myst_construct(text: str) -> None:
    assert ce.find_myst_constructs(text)


def test_detector_ignores_code_math_and_plain_markdown() -> None:
    text = (
        "`{glue:text}`와 ``{cite}`x` ``는 코드입니다. $\\frac{{a}}{b}$\n\n"
        "```\n:::{note}\n{cite}`x`\n```\n\n- 목록\n<details>\n<summary>힌트</summary>\n</details>\n"
        "````markdown\n```{note}\n예시\n```\n````"
    )
    assert ce.find_myst_constructs(text) == []


# ------------------------------------------------------------------ notebooks


def _notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _md(source: str, **metadata: Any) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": metadata, "source": source}


def _code(source: str, **metadata: Any) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": 3,
        "metadata": metadata,
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}],
        "source": source,
    }


SETUP = (
    "try:\n    import google.colab\n    IN_COLAB = True\n"
    "except ImportError:\n    IN_COLAB = False\n"
    "if IN_COLAB:\n    %pip install --quiet git+https://github.com/o/r\n"
)


def test_notebook_gets_setup_cell_first_badge_and_note_and_loses_outputs(context: Any) -> None:
    context.setup_source = ce.setup_cell_source("attn-lib @ git+https://github.com/o/r@" + "a" * 40)
    context.colab_url = "https://colab.research.google.com/github/o/r/blob/colab/02_demo.ipynb"
    context.book_page_url = "https://o.github.io/r/notebooks/02_demo.html"
    source = _notebook(
        _md("# 제목"),
        _code(SETUP),
        _md("정확도 {glue:text}`acc:.3f`"),
        _code("import keras\nx = 1"),
        _code("glue('acc', acc)", tags=["remove-cell"]),
        _code("plot()", tags=["remove-input"]),
        _md("숨김", tags=["remove-cell"]),
    )
    edition = ce.convert_notebook(source, context)
    kinds = [c["cell_type"] for c in edition["cells"]]
    assert kinds == ["markdown", "markdown", "code", "markdown", "code", "code", "code"]
    header = "".join(edition["cells"][0]["source"])
    assert f"]({context.colab_url})" in header and "colab-badge.svg" in header
    assert ce.MEASURED_NOTE in header
    setup = "".join(edition["cells"][2]["source"])
    assert setup == context.setup_source
    assert setup.index("TF_CPP_MIN_LOG_LEVEL") < setup.index("import tensorflow")
    assert "런타임 → 런타임 유형 변경" in setup
    assert "pip install --quiet git+https://github.com/o/r\n" not in json.dumps(edition)
    hidden, folded = edition["cells"][5], edition["cells"][6]
    assert hidden["metadata"]["cellView"] == "form"
    assert "".join(hidden["source"]).startswith("#@title ")
    assert "".join(hidden["source"]).endswith("glue('acc', acc)")
    assert folded["metadata"]["cellView"] == "form"
    for cell in edition["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert edition["metadata"]["accelerator"] == "GPU"
    assert source["cells"][1]["outputs"], "the input notebook is not changed"
    import nbformat

    nbformat.validate(nbformat.from_dict(edition))


def test_note_only_when_a_value_is_quoted_and_errors_name_the_cell(context: Any) -> None:
    edition = ce.convert_notebook(_notebook(_md("# 제목"), _code("x = 1")), context)
    assert all(ce.MEASURED_NOTE not in "".join(c["source"]) for c in edition["cells"])
    with pytest.raises(ce.ConversionError, match=r"notebooks/02_demo.ipynb.*\(cell 1\)"):
        ce.convert_notebook(_notebook(_md("# 제목"), _md("{glue:text}`gone`")), context)


def test_setup_cell_source_rejects_a_bad_requirement() -> None:
    with pytest.raises(ValueError, match="install_spec"):
        ce.setup_cell_source('attn-lib"; rm -rf /')
