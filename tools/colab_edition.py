"""Turn a MyST source notebook into its Colab edition (plain Markdown + a Colab set-up cell).

Colab renders Markdown itself, so every MyST construct the book relies on would show as raw text
there. :func:`convert_notebook` rewrites a chapter so it reads on Colab as it reads in the book:

* glue roles (``{glue:text}`key:.3f```, ``{glue}``, ``{glue:md}`` ...) become the value THIS build
  measured, formatted exactly as myst-nb formats it and marked with :data:`MEASURED_MARK`; the
  notebook gets a one-time note that a reader's own run will differ a little. A key without a
  value is a :class:`ConversionError` naming the notebook and the key;
* ``{cite}`a,b``` becomes ``([Bahdanau 외, 2015](...); [Cho 외, 2014](...))`` linked to the book's
  references page; ``{term}``, ``{ref}``, ``{doc}``, ``{numref}``, ``{eq}`` and Python
  cross-references become plain links to the published book;
* admonitions become ``<details open>``, dropdowns (``:class: dropdown``, ``{dropdown}``) a closed
  ``<details>``; figures and local images are embedded as cell attachments; ``{math}`` becomes
  ``$$ ... $$`` while ``$ ... $`` and ``$$ ... $$`` stay as they are;
* code cells the book hides (``remove-cell``, ``remove-input``, ``hide-input``, ``hide-cell``)
  stay in place and keep working, collapsed with Colab's form view (``cellView: form`` and a
  ``#@title`` line); Markdown cells tagged ``remove-cell`` are dropped;
* the chapter's own Colab set-up cell (the code cell that imports ``google.colab``) is replaced
  by :func:`setup_cell_source`, which becomes the first code cell; a badge cell opens the edition;
* outputs and execution counts are removed.

Anything the converter does not know (an unknown role or directive) is a :class:`ConversionError`
rather than raw text on Colab, and every converted Markdown cell is checked again with
:func:`find_myst_constructs` (which ``tools/colab_check.py`` also runs on the built editions).

The module needs only the standard library, except for :func:`load_bibliography` (pybtex),
:func:`format_glue_text` (myst-nb's formatter) and summary titles (markdown-it-py), which are
imported when used, from the book's environment.
"""

from __future__ import annotations

import base64
import copy
import html
import mimetypes
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "MEASURED_MARK",
    "Citation",
    "ConversionError",
    "EditionContext",
    "Link",
    "colab_badge",
    "convert_markdown",
    "convert_notebook",
    "find_myst_constructs",
    "format_glue_text",
    "load_bibliography",
    "setup_cell_source",
]

#: Appended to every value that comes from the book's own build (glue).
MEASURED_MARK = "<sup>※</sup>"
MEASURED_NOTE = (
    "※ 표시가 붙은 숫자는 이 책을 만들 때 이 노트북을 실행해서 얻은 값입니다. "
    "직접 실행하면 난수와 하드웨어(GPU/CPU) 차이로 조금 다르게 나올 수 있습니다."
)
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"

#: Tags of code cells the book does not show (or shows folded): collapsed in the edition.
FORM_VIEW_TITLES = {
    "remove-cell": "책에서는 숨긴 코드입니다 (측정값 기록·검증). 그대로 실행하세요.",
    "remove-input": "책에서는 결과만 보여 주는 코드입니다. '코드 표시'를 누르면 보입니다.",
    "hide-input": "책에서는 접어 둔 코드입니다. '코드 표시'를 누르면 보입니다.",
    "hide-cell": "책에서는 접어 둔 셀입니다. '코드 표시'를 누르면 보입니다.",
}

#: Admonition directives and the title the book shows for each (Sphinx's Korean labels).
ADMONITION_TITLES = {
    "note": "노트",
    "tip": "팁",
    "hint": "힌트",
    "important": "중요",
    "warning": "경고",
    "caution": "주의",
    "attention": "주의",
    "danger": "위험",
    "error": "오류",
    "seealso": "더 보기",
}

PYTHON_ROLES = {
    "func", "meth", "class", "mod", "obj", "attr", "data", "exc", "const",
}  # fmt: skip


class ConversionError(ValueError):
    """A MyST construct the Colab edition cannot express; the message names notebook and item."""


@dataclass(frozen=True)
class Citation:
    """One bibliography entry: last names of the authors, the year and the link to the entry."""

    key: str
    authors: tuple[str, ...]
    year: str
    url: str

    def author_text(self) -> str:
        """``Bahdanau 외`` (three or more), ``Hochreiter & Schmidhuber`` (two), ``Graves`` (one)."""
        if not self.authors:
            return self.key
        if len(self.authors) == 1:
            return self.authors[0]
        if len(self.authors) == 2:
            return f"{self.authors[0]} & {self.authors[1]}"
        return f"{self.authors[0]} 외"


@dataclass(frozen=True)
class Link:
    """Where a cross-reference points in the published book, and its default text."""

    url: str
    title: str


#: ``resolve(role, target, docname)``: role is ``doc``, ``ref``, ``term``, ``numref``, ``eq`` or
#: ``py:<objtype>``; raises KeyError when the target does not exist.
Resolver = Callable[[str, str, str], Link]
#: ``glue_of(docname)``: the glue data of another notebook (``{glue:text}`doc::key```).
GlueSource = Callable[[str], Mapping[str, Any]]


def _no_resolver(role: str, target: str, docname: str) -> Link:
    raise KeyError(f"no resolver for {role} {target!r}")


@dataclass
class EditionContext:
    """Everything the converter needs besides the notebook itself.

    Attributes:
        name: the notebook in error messages, e.g. ``notebooks/02_bottleneck.ipynb``.
        docname: its Sphinx document name (``notebooks/02_bottleneck``).
        source_dir: folder of the source notebook (relative image paths start there).
        glue: glue data of this notebook: key -> output dict with a ``data`` mime bundle.
        citations: bibliography key -> :class:`Citation`.
        resolve: cross-reference resolver (see :data:`Resolver`).
        setup_source: source of the generated first code cell (:func:`setup_cell_source`).
        colab_url: where Colab opens this edition (for the badge); empty: no badge.
        book_page_url: the chapter in the published book (linked next to the badge).
        substitutions: MyST substitutions (``myst_substitutions``).
        glue_of: glue data of other notebooks, for ``doc::key`` glue references.
        quick: the values come from a quick-mode build (said in the note).
    """

    name: str
    docname: str = ""
    source_dir: Path = Path(".")
    glue: Mapping[str, Any] = field(default_factory=dict)
    citations: Mapping[str, Citation] = field(default_factory=dict)
    resolve: Resolver = _no_resolver
    setup_source: str = ""
    colab_url: str = ""
    book_page_url: str = ""
    substitutions: Mapping[str, str] = field(default_factory=dict)
    glue_of: GlueSource | None = None
    quick: bool = False


# --------------------------------------------------------------------------- bibliography


def load_bibliography(path: Path, url_of: Callable[[str], str]) -> dict[str, Citation]:
    """Read a BibTeX file into :class:`Citation` objects (last names, year, ``url_of(key)``)."""
    from pybtex.database import parse_file

    try:
        data = parse_file(str(path), bib_format="bibtex")
    except FileNotFoundError:
        raise ValueError(f"bibliography {path} does not exist") from None
    citations = {}
    for key, entry in data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        authors = tuple(_plain_tex(" ".join(p.prelast_names + p.last_names)) for p in people)
        year = _plain_tex(entry.fields.get("year", "n.d."))
        citations[key] = Citation(key=key, authors=authors, year=year, url=url_of(key))
    return citations


def _plain_tex(text: str) -> str:
    """Drop BibTeX braces and decode LaTeX accents (``{\\"u}`` -> ``ü``)."""
    try:
        import latexcodec  # noqa: F401  (registers the "latex" codec)

        text = text.encode("utf-8").decode("latex")
    except (ImportError, ValueError):
        pass
    return text.replace("{", "").replace("}", "").strip()


# --------------------------------------------------------------------------- glue values


def format_glue_text(text: str, fmt_spec: str) -> str:
    """Format a glued ``text/plain`` value exactly as myst-nb's ``{glue:text}`` role does."""
    try:
        from myst_nb.core.variables import format_plain_text
    except ImportError:  # same algorithm (myst-nb 1.x), for environments without myst-nb
        from ast import literal_eval

        def format_plain_text(text: str, fmt_spec: str) -> str:
            try:
                value: Any = literal_eval(text)
            except (SyntaxError, ValueError):
                value = text
            if fmt_spec == "":
                return str(value)
            kind = fmt_spec[-1]
            if kind == "s":
                value = str(value)
            elif kind in "bcdoxX":
                value = int(value)
            elif kind in "eEfFgGn%":
                value = float(value)
            return format(value, fmt_spec)

    return format_plain_text(text, fmt_spec)


_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>$|~])")


def _escape_md(text: str) -> str:
    return _MD_ESCAPE.sub(r"\\\1", text)


# --------------------------------------------------------------------------- detection

_ROLE = re.compile(r"\{([A-Za-z][\w:+.-]*)\}(?=`)")
_DIRECTIVE_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,})\s*\{[^}]*\}")
_COLON_FENCE = re.compile(r"^\s*:{3,}")
_TARGET = re.compile(r"^\s*\([^()\s]+\)=\s*$")
_COMMENT = re.compile(r"^\s*%")
_BLOCK_BREAK = re.compile(r"^\s*\+{3}")
_OPTION = re.compile(r"^\s*:[\w-]+:(\s|$)")
_DEFINITION = re.compile(r"^:\s+\S")
_SUBSTITUTION = re.compile(r"\{\{[^{}]*\}\}")
_CODE_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_BACKTICKS = re.compile(r"`+")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)


def _mask_code(text: str) -> str:
    """Blank out fenced code blocks and inline code spans (same length, newlines kept)."""
    lines = text.split("\n")
    out = []
    fence: tuple[str, int] | None = None
    for line in lines:
        match = _CODE_FENCE.match(line)
        if fence is None:
            if match and not _DIRECTIVE_FENCE.match(line):
                fence = (match.group(2)[0], len(match.group(2)))
                out.append("")
                continue
            out.append(line)
        else:
            stripped = line.strip()
            char, size = fence
            if stripped and set(stripped) == {char} and len(stripped) >= size:
                fence = None
            out.append("")
    masked = "\n".join(out)
    pieces = []
    position = 0
    for start, end, is_code in _code_spans(masked):
        pieces.append(masked[position:start])
        chunk = masked[start:end]
        pieces.append(re.sub(r"[^\n]", " ", chunk) if is_code else chunk)
        position = end
    pieces.append(masked[position:])
    return "".join(pieces)


def _code_spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """Yield (start, end, True) for inline code spans not preceded by a ``{role}``."""
    position = 0
    while True:
        match = _BACKTICKS.search(text, position)
        if match is None:
            return
        ticks = match.group(0)
        closing = re.compile(rf"(?<!`){re.escape(ticks)}(?!`)")
        end_match = closing.search(text, match.end())
        if end_match is None:
            position = match.end()
            continue
        is_role = bool(re.search(r"\{[A-Za-z][\w:+.-]*\}$", text[: match.start()]))
        yield match.start(), end_match.end(), not is_role
        position = end_match.end()


def find_myst_constructs(markdown: str) -> list[str]:
    """Return every MyST construct left in a Markdown text (empty list: plain Markdown).

    Looks outside code blocks and code spans for roles, directive fences (backtick and colon),
    directive options, targets ``(name)=``, comments ``%``, block breaks ``+++``, definition
    lists and substitutions ``{{ name }}`` (outside math).
    """
    masked_lines = _mask_code(markdown).split("\n")
    original_lines = markdown.split("\n")
    found = []
    for line_number, (line, original) in enumerate(
        zip(masked_lines, original_lines, strict=True), start=1
    ):
        checks = [
            (_DIRECTIVE_FENCE, "directive fence"),
            (_COLON_FENCE, "colon fence"),
            (_TARGET, "target"),
            (_COMMENT, "comment"),
            (_BLOCK_BREAK, "block break"),
            (_OPTION, "directive option"),
            (_DEFINITION, "definition list"),
        ]
        for pattern, what in checks:
            if pattern.search(line):
                found.append(f"line {line_number}: {what}: {original.strip()}")
        for match in _ROLE.finditer(line):
            found.append(f"line {line_number}: role {{{match.group(1)}}}: {original.strip()}")
        for match in _SUBSTITUTION.finditer(_MATH.sub(lambda m: " " * len(m.group(0)), line)):
            found.append(f"line {line_number}: substitution {match.group(0)}")
    return found


# --------------------------------------------------------------------------- block structure


@dataclass
class _Directive:
    name: str
    argument: str
    options: dict[str, str]
    body: list[str]
    indent: str


def _closing_fence(line: str, char: str, size: int) -> bool:
    stripped = line.strip()
    return bool(stripped) and set(stripped) == {char} and len(stripped) >= size


def _parse_directive(
    lines: list[str], start: int, indent: str, fence: str, head: str
) -> tuple[_Directive, int]:
    """Parse the directive opened at ``lines[start]``; return it and the index after its end."""
    match = re.match(r"\{([^}]+)\}\s*(.*)$", head.strip())
    if match is None:
        raise ConversionError(f"not a directive: {lines[start].strip()!r}")
    name, argument = match.group(1).strip(), match.group(2).strip()
    char, size = fence[0], len(fence)
    body: list[str] = []
    inner_fence: tuple[str, int] | None = None
    index = start + 1
    while index < len(lines):
        line = lines[index]
        content = line[len(indent) :] if line.startswith(indent) else line.lstrip()
        if inner_fence is None and _closing_fence(content, char, size):
            break
        code = _CODE_FENCE.match(content)
        if inner_fence is None and code and not content.lstrip().startswith(char * size):
            if not _DIRECTIVE_FENCE.match(content):
                inner_fence = (code.group(2)[0], len(code.group(2)))
        elif inner_fence is not None and _closing_fence(content, *inner_fence):
            inner_fence = None
        body.append(content)
        index += 1
    else:
        raise ConversionError(f"directive {{{name}}} is never closed (missing {fence})")
    options: dict[str, str] = {}
    if body and body[0].strip() == "---":
        end = next((i for i in range(1, len(body)) if body[i].strip() == "---"), None)
        if end is None:
            raise ConversionError(f"directive {{{name}}}: options block is not closed by ---")
        for option_line in body[1:end]:
            key, _, value = option_line.partition(":")
            if key.strip():
                options[key.strip()] = value.strip().strip("\"'")
        body = body[end + 1 :]
    else:
        while body and (option := re.match(r"^\s*:([\w-]+):\s*(.*)$", body[0])):
            options[option.group(1)] = option.group(2).strip()
            body = body[1:]
    while body and not body[0].strip():
        body = body[1:]
    while body and not body[-1].strip():
        body = body[:-1]
    return _Directive(name, argument, options, body, indent), index + 1


class _Converter:
    """Converts the Markdown of one notebook (holds its context and collected attachments)."""

    def __init__(self, context: EditionContext) -> None:
        self.context = context
        self.attachments: dict[str, dict[str, str]] = {}
        self.used_glue = False

    def fail(self, message: str) -> ConversionError:
        return ConversionError(f"{self.context.name}: {message}")

    # ----------------------------------------------------------------- blocks

    def blocks(self, text: str) -> str:
        lines = text.split("\n")
        out: list[str] = []
        prose: list[str] = []
        index = 0

        def flush() -> None:
            if prose:
                out.append(self.inline(self.line_constructs(prose)))
                prose.clear()

        while index < len(lines):
            line = lines[index]
            code = _CODE_FENCE.match(line)
            colon = re.match(r"^(\s*)(:{3,})(.*)$", line)
            if code and code.group(3).strip().startswith("{"):
                flush()
                directive, index = _parse_directive(
                    lines, index, code.group(1), code.group(2), code.group(3)
                )
                out.append(self.directive(directive))
                continue
            if code:  # an ordinary code block: copied as it is
                flush()
                char, size = code.group(2)[0], len(code.group(2))
                block = [line]
                index += 1
                while index < len(lines):
                    block.append(lines[index])
                    index += 1
                    content = block[-1][len(code.group(1)) :]
                    if _closing_fence(content, char, size):
                        break
                out.append("\n".join(block))
                continue
            if colon:
                flush()
                if not colon.group(3).strip().startswith("{"):
                    raise self.fail(f"colon fence without a directive name: {line.strip()!r}")
                directive, index = _parse_directive(
                    lines, index, colon.group(1), colon.group(2), colon.group(3)
                )
                out.append(self.directive(directive))
                continue
            prose.append(line)
            index += 1
        flush()
        return "\n".join(out)

    def line_constructs(self, lines: list[str]) -> str:
        """Drop targets, comments and block breaks; turn definition lists into bullets."""
        kept: list[str] = []
        for line in lines:
            if _TARGET.match(line) or _COMMENT.match(line) or _BLOCK_BREAK.match(line):
                continue
            definition = re.match(r"^:\s+(.*)$", line)
            if definition and kept and kept[-1].strip():
                term = kept.pop()
                if term.startswith("- **") and "** — " in term:  # a second definition
                    kept.extend([term, f"  {definition.group(1)}"])
                else:
                    kept.append(f"- **{term.strip()}** — {definition.group(1)}")
                continue
            if _OPTION.match(line):
                raise self.fail(f"directive option outside a directive: {line.strip()!r}")
            kept.append(line)
        return "\n".join(kept)

    def directive(self, d: _Directive) -> str:
        name = d.name
        body = "\n".join(d.body)
        if name == "admonition" or name in ADMONITION_TITLES:
            title = d.argument or ADMONITION_TITLES.get(name, "")
            if name == "admonition" and not title:
                raise self.fail("{admonition} needs a title")
            classes = d.options.get("class", "").split()
            closed = "dropdown" in classes or "toggle" in classes
            rendered = self.details(title, body, open_=not closed)
        elif name == "dropdown":
            rendered = self.details(d.argument or "자세히", body, open_="open" in d.options)
        elif name in ("figure", "image"):
            rendered = self.figure(d, body if name == "figure" else "")
        elif name == "math":
            rendered = f"$$\n{body}\n$$"
        elif name in ("code-block", "code", "sourcecode"):
            ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", body)), default=0))
            rendered = f"{ticks}{d.argument}\n{body}\n{ticks}"
        elif name.startswith("glue"):
            rendered = self.glue_block(name, d)
        else:
            raise self.fail(f"directive {{{name}}} has no Colab form (add it to colab_edition.py)")
        return "\n".join(d.indent + line if line else line for line in rendered.split("\n"))

    def details(self, title: str, body: str, *, open_: bool) -> str:
        summary = self.inline_html(title)
        opening = "<details open>" if open_ else "<details>"
        inner = self.blocks(body)
        return f"{opening}\n<summary><b>{summary}</b></summary>\n\n{inner}\n\n</details>"

    def inline_html(self, text: str) -> str:
        """Inline MyST -> inline HTML (a ``<summary>`` does not render Markdown)."""
        converted = self.inline(text)
        try:
            from markdown_it import MarkdownIt
        except ImportError:
            return converted
        return MarkdownIt("commonmark", {"html": True}).renderInline(converted).strip()

    def figure(self, d: _Directive, caption: str) -> str:
        alt = d.options.get("alt", "") or caption.split("\n")[0]
        image = self.image_markdown(d.argument, alt)
        if not caption.strip():
            return image
        return f"{image}\n\n{self.blocks(caption)}"

    def image_markdown(self, target: str, alt: str) -> str:
        if re.match(r"^[a-z]+:", target):  # a URL (or data:/attachment:) stays a URL
            return f"![{_escape_md(alt)}]({target})"
        name = self.attach_file(target)
        return f"![{_escape_md(alt)}](attachment:{name})"

    def attach_file(self, target: str) -> str:
        path = self.context.source_dir / target
        if target.startswith("/"):
            raise self.fail(f"absolute image path {target!r}: use a path relative to the notebook")
        if not path.is_file():
            raise self.fail(f"image {target!r} not found (looked at {path})")
        mime = mimetypes.guess_type(path.name)[0]
        if mime is None or not mime.startswith("image/"):
            raise self.fail(f"{target!r} is not an image file")
        return self.attach(path.name, mime, path.read_bytes())

    def attach(self, name: str, mime: str, data: bytes | str) -> str:
        if isinstance(data, bytes):
            encoded = base64.b64encode(data).decode("ascii") if mime != "image/svg+xml" else None
            payload = encoded if encoded is not None else data.decode("utf-8")
        else:
            payload = data
        stem, ext = posixpath.splitext(name)
        unique = name
        counter = 1
        while unique in self.attachments and self.attachments[unique] != {mime: payload}:
            counter += 1
            unique = f"{stem}-{counter}{ext}"
        self.attachments[unique] = {mime: payload}
        return unique

    # ----------------------------------------------------------------- glue

    def glue_data(self, key: str) -> Mapping[str, Any]:
        doc, sep, name = key.partition("::")
        if sep:
            if self.context.glue_of is None:
                raise self.fail(f"glue key {key!r} refers to another notebook; no glue source")
            try:
                data = self.context.glue_of(doc)
            except KeyError:
                raise self.fail(f"glue key {key!r}: notebook {doc!r} has no glue data") from None
            source = f"{doc}::"
        else:
            data, name, source = self.context.glue, key, ""
        if name not in data:
            known = ", ".join(sorted(data)) or "none"
            raise self.fail(
                f"glue key {source}{name!r} has no value in this build's executed notebook "
                f"(keys found: {known})"
            )
        self.used_glue = True
        value = data[name]
        bundle = value.get("data", value) if isinstance(value, Mapping) else None
        if not isinstance(bundle, Mapping):
            raise self.fail(f"glue key {key!r}: stored value is not a mime bundle")
        return bundle

    def glue_text(self, content: str) -> str:
        key, spec = _key_and_format(content)
        bundle = self.glue_data(key)
        if "text/plain" not in bundle:
            raise self.fail(f"glue key {key!r} has no text/plain value for {{glue:text}}")
        try:
            text = format_glue_text(_text(bundle["text/plain"]), spec)
        except (ValueError, TypeError) as exc:
            raise self.fail(f"glue key {key!r}: cannot format with {spec!r}: {exc}") from None
        return f"{_escape_md(text)}{MEASURED_MARK}"

    def glue_any(self, key: str, *, block: bool) -> str:
        bundle = self.glue_data(key)
        for mime in ("image/png", "image/jpeg", "image/svg+xml"):
            if mime in bundle:
                ext = mimetypes.guess_extension(mime) or ".img"
                name = self.attach(f"{key.replace('::', '-')}{ext}", mime, _text(bundle[mime]))
                return f"![{_escape_md(key)}](attachment:{name}){MEASURED_MARK}"
        if "text/html" in bundle:
            return _text(bundle["text/html"]).strip()
        if "text/markdown" in bundle:
            return self.inline(_text(bundle["text/markdown"]).strip()) + MEASURED_MARK
        if "text/latex" in bundle:
            latex = _text(bundle["text/latex"]).strip().strip("$")
            return f"$$\n{latex}\n$$" if block else f"${latex}$"
        if "text/plain" in bundle:
            text = format_glue_text(_text(bundle["text/plain"]), "")
            if block:
                return f"```\n{text}\n```\n{MEASURED_MARK}"
            return f"{_escape_md(text)}{MEASURED_MARK}"
        raise self.fail(f"glue key {key!r}: no mime type the edition can show")

    def glue_block(self, name: str, d: _Directive) -> str:
        key = d.argument
        if not key:
            raise self.fail(f"{{{name}}} needs a glue key")
        if name in ("glue", "glue:", "glue:any"):
            return self.glue_any(key, block=True)
        if name == "glue:figure":
            shown = self.glue_any(key, block=True)
            caption = "\n".join(d.body)
            return f"{shown}\n\n{self.blocks(caption)}" if caption.strip() else shown
        if name == "glue:md":
            bundle = self.glue_data(key)
            if "text/markdown" not in bundle:
                raise self.fail(f"glue key {key!r} has no text/markdown value for {{glue:md}}")
            return self.blocks(_text(bundle["text/markdown"]))
        if name == "glue:math":
            bundle = self.glue_data(key)
            if "text/latex" not in bundle:
                raise self.fail(f"glue key {key!r} has no text/latex value for {{glue:math}}")
            return f"$$\n{_text(bundle['text/latex']).strip().strip('$')}\n$$"
        raise self.fail(f"directive {{{name}}} has no Colab form")

    # ----------------------------------------------------------------- inline

    def inline(self, text: str) -> str:
        pieces = []
        position = 0
        for start, end, is_code in _code_spans(text):
            if is_code:
                continue
            role_match = re.search(r"\{([A-Za-z][\w:+.-]*)\}$", text[:start])
            assert role_match is not None
            role_start = role_match.start()
            pieces.append(self.plain(text[position:role_start]))
            ticks = len(re.match(r"`+", text[start:]).group(0))  # type: ignore[union-attr]
            content = text[start + ticks : end - ticks]
            if ticks > 1 and content.startswith(" ") and content.endswith(" "):
                content = content[1:-1]
            pieces.append(self.role(role_match.group(1), content))
            position = end
        pieces.append(self.plain(text[position:]))
        return "".join(pieces)

    def plain(self, text: str) -> str:
        """Text outside roles: substitutions, local images; code spans are left alone."""
        out = []
        position = 0
        for start, end, _ in _code_spans(text):
            out.append(self._plain_part(text[position:start]))
            out.append(text[start:end])
            position = end
        out.append(self._plain_part(text[position:]))
        return "".join(out)

    def _plain_part(self, text: str) -> str:
        masked = _MATH.sub(lambda m: "\0" * len(m.group(0)), text)

        def substitute(match: re.Match[str]) -> str:
            if "\0" in match.group(0):
                return match.group(0)
            name = match.group(0)[2:-2].strip()
            if name not in self.context.substitutions:
                raise self.fail(f"substitution {{{{ {name} }}}} is not defined")
            return self.inline(str(self.context.substitutions[name]))

        pieces = []
        position = 0
        for match in _SUBSTITUTION.finditer(masked):
            pieces.append(text[position : match.start()])
            pieces.append(substitute(match))
            position = match.end()
        pieces.append(text[position:])
        text = "".join(pieces)
        text = re.sub(
            r"!\[([^\]]*)\]\((?!attachment:|[a-z]+://|data:)([^)\s]+)\)",
            lambda m: self.image_markdown(m.group(2), m.group(1)),
            text,
        )
        return re.sub(
            r"(<img\b[^>]*\bsrc=)([\"'])(?!attachment:|[a-z]+://|data:)([^\"']+)\2",
            lambda m: (
                f"{m.group(1)}{m.group(2)}attachment:{self.attach_file(m.group(3))}{m.group(2)}"
            ),
            text,
        )

    def role(self, name: str, content: str) -> str:
        if name in ("glue:text",):
            return self.glue_text(content)
        if name in ("glue", "glue:", "glue:any"):
            return self.glue_any(content, block=False)
        if name == "glue:md":
            key = _key_and_format(content)[0]
            bundle = self.glue_data(key)
            if "text/markdown" not in bundle:
                raise self.fail(f"glue key {key!r} has no text/markdown value for {{glue:md}}")
            return self.inline(_text(bundle["text/markdown"]).strip()) + MEASURED_MARK
        if name in ("cite", "cite:p", "cite:ps", "cite:t", "cite:ts", "cite:author", "cite:year"):
            return self.cite(name, content)
        if name in ("term", "ref", "doc", "numref", "eq") or name.startswith("py:"):
            return self.reference(name, content)
        if name in PYTHON_ROLES:
            return self.reference(f"py:{name}", content)
        if name == "math":
            return f"${content}$"
        if name in ("sub", "sup", "kbd"):
            return f"<{name}>{html.escape(content)}</{name}>"
        if name == "abbr":
            match = re.match(r"^(.*?)\s*\((.*)\)\s*$", content)
            if match:
                short, long = html.escape(match.group(1)), html.escape(match.group(2))
                return f'<abbr title="{long}">{short}</abbr>'
            return html.escape(content)
        if name in ("code", "literal", "samp", "file", "command", "program"):
            return _code_span(content)
        raise self.fail(f"role {{{name}}} has no Colab form (add it to colab_edition.py)")

    def cite(self, name: str, content: str) -> str:
        keys = [key.strip() for key in content.split(",") if key.strip()]
        if not keys:
            raise self.fail(f"{{{name}}} without a key")
        entries = []
        for key in keys:
            if key not in self.context.citations:
                raise self.fail(f"citation key {key!r} is not in the bibliography")
            entries.append(self.context.citations[key])

        def link(text: str, entry: Citation) -> str:
            return f"[{_escape_md(text)}]({entry.url})" if entry.url else _escape_md(text)

        if name in ("cite:t", "cite:ts"):
            return ", ".join(f"{link(e.author_text(), e)}({e.year})" for e in entries)
        if name == "cite:author":
            return ", ".join(link(e.author_text(), e) for e in entries)
        if name == "cite:year":
            return ", ".join(link(e.year, e) for e in entries)
        return "(" + "; ".join(link(f"{e.author_text()}, {e.year}", e) for e in entries) + ")"

    def reference(self, role: str, content: str) -> str:
        match = re.match(r"^(.*?)\s*<([^<>]+)>$", content, re.S)
        text, target = (match.group(1), match.group(2)) if match else (None, content.strip())
        if role.startswith("py:") and target.startswith("~"):
            target = target[1:]
            text = text or target.rsplit(".", 1)[-1]
        try:
            link = self.context.resolve(role, target, self.context.docname)
        except KeyError as exc:
            raise self.fail(f"{{{role}}}`{content}`: target not found ({exc})") from None
        title = text if text else link.title
        if role == "numref" and text and "{number}" in text:
            title = text.replace("{number}", link.title.split()[-1])
        label = _code_span(title) if role.startswith("py:") else _escape_md(title)
        return f"[{label}]({link.url})"


def _key_and_format(content: str) -> tuple[str, str]:
    """``key:.3f`` -> (``key``, ``.3f``); ``doc::key`` keeps its ``::`` (myst-nb's syntax)."""
    key, sep, spec = content.rpartition(":")
    if not sep or key.endswith(":") or not key:
        return content, ""
    return key, spec


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _code_span(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def convert_markdown(text: str, context: EditionContext) -> str:
    """Convert one Markdown cell's MyST source to plain Markdown (attachments are dropped)."""
    return _Converter(context).blocks(text)


# --------------------------------------------------------------------------- notebook


def setup_cell_source(install_spec: str, *, book_title: str = "") -> str:
    """The first code cell of every edition: quiet TensorFlow, install attn_lib, report the GPU.

    Args:
        install_spec: the pip requirement, e.g.
            ``attn-lib @ git+https://github.com/org/repo@<commit>``.
        book_title: named in the cell's first comment.
    """
    if not install_spec or any(c in install_spec for c in "\"'\n"):
        raise ValueError(f"install_spec must be a non-empty pip requirement, got {install_spec!r}")
    about = f"「{book_title}」 " if book_title else ""
    return f'''# Colab 준비 셀: {about}Colab판의 첫 셀입니다. 다른 셀보다 먼저 실행하세요.
import os

# TensorFlow가 처음 불릴 때 찍는 C++ 로그(CUDA, oneDNN)를 끕니다. 임포트보다 먼저 정해야 합니다.
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"

try:
    import google.colab  # noqa: F401

    IN_COLAB = True
except ImportError:
    IN_COLAB = False

if IN_COLAB:
    # 이 노트북과 같은 커밋의 attn_lib만 설치합니다. Colab에 깔린 패키지는 그대로 둡니다.
    %pip install --quiet "{install_spec}"

import tensorflow as tf

gpus = tf.config.list_physical_devices("GPU")
if gpus:
    details = tf.config.experimental.get_device_details(gpus[0])
    print(f"GPU를 씁니다: {{details.get('device_name', gpus[0].name)}}")
else:
    print("GPU가 연결되어 있지 않습니다(CPU로 실행). "
          "GPU를 쓰려면 런타임 → 런타임 유형 변경에서 고르세요.")
'''


def colab_badge(colab_url: str, book_page_url: str = "") -> str:
    """Markdown of the "Open in Colab" badge (and a link back to the chapter in the book)."""
    badge = f"[![Colab에서 열기]({COLAB_BADGE_IMAGE})]({colab_url})"
    return f"{badge} · [책에서 이 장 읽기]({book_page_url})" if book_page_url else badge


def _is_setup_cell(cell: Mapping[str, Any]) -> bool:
    """The chapter's own Colab set-up cell: tagged ``colab-setup`` or a ``%pip install`` that
    runs only when ``google.colab`` imports."""
    tags = cell.get("metadata", {}).get("tags", [])
    source = _text(cell.get("source", ""))
    return "colab-setup" in tags or (
        re.search(r"^\s*import google\.colab\b", source, re.M) is not None
        and re.search(r"^\s*%pip install\b", source, re.M) is not None
    )


def convert_notebook(notebook: Mapping[str, Any], context: EditionContext) -> dict[str, Any]:
    """Return the Colab edition of a MyST notebook (nbformat 4 dict); the input is not changed.

    Raises:
        ConversionError: a construct has no Colab form, a glue key or citation is missing, or a
            converted cell still contains MyST (the message names the notebook).
    """
    if notebook.get("nbformat") != 4:
        raise ConversionError(f"{context.name}: only nbformat 4 notebooks can be converted")
    converter = _Converter(context)
    cells: list[dict[str, Any]] = []
    source_cells = list(notebook.get("cells", []))
    setup_at: int | None = None
    first_code = next((c for c in source_cells if c.get("cell_type") == "code"), None)
    for index, cell in enumerate(source_cells):
        kind = cell.get("cell_type")
        tags = list(cell.get("metadata", {}).get("tags", []))
        metadata: dict[str, Any] = {"tags": tags} if tags else {}
        source = _text(cell.get("source", ""))
        new: dict[str, Any] = {"cell_type": kind, "metadata": metadata, "source": source}
        if "id" in cell:
            new["id"] = cell["id"]
        if kind == "markdown":
            if "remove-cell" in tags:
                continue
            converter.attachments = {}
            try:
                new["source"] = converter.blocks(source)
            except ConversionError as exc:
                raise ConversionError(f"{exc} (cell {index})") from None
            left = find_myst_constructs(new["source"])
            if left:
                raise ConversionError(
                    f"{context.name}: cell {index} still has MyST after conversion: {left[0]}"
                )
            attachments = {**copy.deepcopy(cell.get("attachments", {})), **converter.attachments}
            if attachments:
                new["attachments"] = attachments
        elif kind == "code":
            if cell is first_code and _is_setup_cell(cell):
                setup_at = len(cells)  # replaced by the generated set-up cell, in place
                continue
            new["execution_count"] = None
            new["outputs"] = []
            form_tag = next((tag for tag in FORM_VIEW_TITLES if tag in tags), None)
            if form_tag is not None:
                metadata["cellView"] = "form"
                new["source"] = f"#@title {FORM_VIEW_TITLES[form_tag]}\n{source}"
        elif kind == "raw":
            pass
        else:
            raise ConversionError(f"{context.name}: cell {index} has unknown type {kind!r}")
        cells.append(new)

    if context.setup_source:
        setup = {
            "cell_type": "code",
            "execution_count": None,
            "id": "colab-setup",
            "metadata": {"tags": ["colab-setup"]},
            "outputs": [],
            "source": context.setup_source,
        }
        if setup_at is None:  # no set-up cell of its own: before the first code cell
            setup_at = next(
                (i for i, c in enumerate(cells) if c["cell_type"] == "code"), len(cells)
            )
        cells.insert(setup_at, setup)

    header = []
    if context.colab_url:
        header.append(colab_badge(context.colab_url, context.book_page_url))
    if converter.used_glue:
        mode = " (빠른 모드 빌드의 값입니다)" if context.quick else ""
        header.append(f"> {MEASURED_NOTE}{mode}")
    if header:
        cells.insert(
            0,
            {
                "cell_type": "markdown",
                "id": "colab-header",
                "metadata": {},
                "source": "\n\n".join(header),
            },
        )

    used_ids = {cell["id"] for cell in cells if "id" in cell}
    for index, cell in enumerate(cells):
        cell["source"] = _split_source(cell["source"])
        if "id" not in cell:  # nbformat 4.5 requires cell ids
            cell["id"] = next(
                f"cell-{index}-{n}"
                for n in range(len(cells) + 1)
                if f"cell-{index}-{n}" not in used_ids
            )
            used_ids.add(cell["id"])
    metadata = {
        "accelerator": "GPU",
        "colab": {"provenance": [], "toc_visible": True},
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def _split_source(source: str | Sequence[str]) -> list[str]:
    text = source if isinstance(source, str) else "".join(source)
    return text.splitlines(keepends=True)
