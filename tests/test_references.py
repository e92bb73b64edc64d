"""book/references.bib: complete entries, every entry cited, informal mentions cited.

The chapters lean on a few sources by name without a {cite} ("keras-io의 덧셈 예제", "the
attention_lstm example", "attention as explanation"); :data:`INFORMAL_MENTIONS` maps such a
mention to the entries the chapter must then cite.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from pybtex.database import parse_file

from tests.test_chapters import CHAPTERS, CITE_ROLE, REFERENCES

BOOK_PAGES = sorted((REFERENCES.parent).glob("*.md"))
REQUIRED_FIELDS = {
    "inproceedings": ("title", "booktitle", "year"),
    "article": ("title", "journal", "year"),
    "misc": ("title", "howpublished", "year", "url"),
}
#: regex over a chapter's Markdown (code blocks removed) -> keys the chapter must cite.
INFORMAL_MENTIONS: dict[str, tuple[str, ...]] = {
    r"keras-io|keras\.io": ("merity2015addition",),
    r"`attention_lstm`\s*예제|keras-attention-mechanism|philipperemy": ("remy2017keras",),
    r"[\"“]?설명[\"”]?\s*으로\s*읽|가중치를\s*해석할": (
        "jain2019attention",
        "wiegreffe2019attention",
    ),
}


def _markdown(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    text = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return re.sub(r"```.*?```", " ", text, flags=re.DOTALL)


def _cited(text: str) -> set[str]:
    return {key.strip() for group in CITE_ROLE.findall(text) for key in group.split(",")}


def test_entries_have_authors_and_the_fields_of_their_type() -> None:
    database = parse_file(str(REFERENCES))
    problems = []
    for key, entry in database.entries.items():
        if not entry.persons.get("author"):
            problems.append(f"{key}: no author")
        for name in REQUIRED_FIELDS.get(entry.type, ("title", "year")):
            if not entry.fields.get(name):
                problems.append(f"{key} (@{entry.type}): no {name}")
        if entry.type != "misc" and not (entry.fields.get("doi") or entry.fields.get("url")):
            problems.append(f"{key}: neither doi nor url")
    assert not problems, problems


def test_every_reference_is_cited_somewhere() -> None:
    """The references page lists every entry (:all:), so each must be used by the text."""
    keys = set(parse_file(str(REFERENCES)).entries)
    cited = set().union(*(_cited(_markdown(path)) for path in CHAPTERS))
    cited |= set().union(*(_cited(page.read_text(encoding="utf-8")) for page in BOOK_PAGES))
    assert keys <= cited, f"never cited by a chapter or page: {sorted(keys - cited)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_informal_mentions_are_cited(path: Path) -> None:
    markdown = _markdown(path)
    cited = _cited(markdown)
    missing = {
        match.group(0): sorted(set(keys) - cited)
        for pattern, keys in INFORMAL_MENTIONS.items()
        for match in [re.search(pattern, markdown)]
        if match and set(keys) - cited
    }
    assert not missing, f"{path.name}: mentioned without {{cite}}: {missing}"
