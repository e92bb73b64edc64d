"""The generated data of TASKS_VERSION 1 is exactly what the single-file `attn_lib/tasks.py` made.

`attn_lib.tasks` was a 1,013-line module before it became a package. Cached results are keyed on
`Seq2SeqData.fingerprint()`, and the chapters quote numbers measured on this data, so the move
must not change one example. This test loads the old module from git (the commit that last
changed it) and compares every generator's output, field by field, for several configurations.

When a later change is meant to alter the data, bump `TASKS_VERSION`; this test then stops
applying and a new reference commit can be pinned for the new version.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from attn_lib import tasks
from tests.conftest import REPO_ROOT

#: The last commit in which `attn_lib/tasks.py` was one file (TASKS_VERSION 1).
REFERENCE_COMMIT = "64f59f6dbea89860d62a99746eeeb324d3c22c30"
REFERENCE_VERSION = 1

SEQ2SEQ_CASES: dict[str, Callable[[Any], Any]] = {
    "addition default": lambda m: m.addition_task(3, 2000, seed=0),
    "addition 1 digit all pairs": lambda m: m.addition_task(
        1, 55, val_fraction=0.2, test_fraction=0.2
    ),
    "addition fixed reversed doubled": lambda m: m.addition_task(
        2, 800, fixed_width=True, reverse=True, double=True, seed=3
    ),
    "addition rejection loop": lambda m: m.addition_task(5, 1500, seed=7),
    "memorization copy": lambda m: m.memorization_task(6, 500, seed=1),
    "memorization reverse range": lambda m: m.memorization_task(
        8, 700, mode="reverse", alphabet="abcxyz", min_length=3, seed=2
    ),
    "memorization reversed doubled input": lambda m: m.memorization_task(
        5, 300, reverse_input=True, double_input=True, val_fraction=0.2, seed=4
    ),
    "date default range": lambda m: m.date_task(1200, seed=0),
    "date two formats": lambda m: m.date_task(
        300, start="2020-02-01", end="2021-03-31", formats=["korean_long", "us_slashes"], seed=5
    ),
}
ARRAY_CASES: dict[str, Callable[[Any], Any]] = {
    "column": lambda m: m.attention_column_task(400, seed=0),
    "column small": lambda m: m.attention_column_task(
        90, time_steps=7, features=3, informative_step=2, val_fraction=0.3, seed=9
    ),
    "dense": lambda m: m.attention_dense_task(300, features=16, informative_feature=5, seed=1),
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The single-file tasks module of `REFERENCE_COMMIT`, imported under a private name."""
    try:
        source = subprocess.run(
            ["git", "show", f"{REFERENCE_COMMIT}:attn_lib/tasks.py"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.fail(
            f"cannot read attn_lib/tasks.py at {REFERENCE_COMMIT} from git ({error}); "
            f"this test needs the repository's history (not a shallow clone)",
            pytrace=False,
        )
    name = "_attn_lib_tasks_reference"
    path = tmp_path_factory.mktemp("reference") / "tasks.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[name]


@pytest.fixture(autouse=True)
def _same_version() -> None:
    if tasks.TASKS_VERSION != REFERENCE_VERSION:
        pytest.skip(
            f"TASKS_VERSION is {tasks.TASKS_VERSION}; the reference is version "
            f"{REFERENCE_VERSION} (pin a commit that generates the new version)"
        )


def _assert_same_split(new: Any, old: Any, where: str) -> None:
    for field in ("inputs", "targets", "queries", "kinds"):
        assert getattr(new, field) == getattr(old, field), f"{where}: {field} differ"
    for field in ("x", "y", "decoder_input"):
        new_array, old_array = getattr(new, field), getattr(old, field)
        assert new_array.dtype == old_array.dtype, f"{where}: {field} dtype differs"
        np.testing.assert_array_equal(new_array, old_array, err_msg=f"{where}: {field}")


@pytest.mark.parametrize("case", list(SEQ2SEQ_CASES))
def test_seq2seq_tasks_are_unchanged(reference: ModuleType, case: str) -> None:
    new, old = SEQ2SEQ_CASES[case](tasks), SEQ2SEQ_CASES[case](reference)
    assert new.fingerprint() == old.fingerprint()
    assert new.name == old.name
    assert new.config == old.config
    assert new.source_vocab == old.source_vocab
    assert new.target_vocab == old.target_vocab
    assert (new.input_length, new.output_length) == (old.input_length, old.output_length)
    assert new.input_transforms == old.input_transforms
    assert repr(new) == repr(old)
    for split_name in ("train", "val", "test"):
        _assert_same_split(
            getattr(new, split_name), getattr(old, split_name), f"{case}/{split_name}"
        )
    queries = new.test.queries[:5]
    np.testing.assert_array_equal(new.encode_inputs(queries), old.encode_inputs(queries))


@pytest.mark.parametrize("case", list(ARRAY_CASES))
def test_array_tasks_are_unchanged(reference: ModuleType, case: str) -> None:
    new, old = ARRAY_CASES[case](tasks), ARRAY_CASES[case](reference)
    assert new.config == old.config
    assert new.informative_index == old.informative_index
    for field in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test"):
        new_array, old_array = getattr(new, field), getattr(old, field)
        assert new_array.dtype == old_array.dtype, f"{case}: {field} dtype differs"
        np.testing.assert_array_equal(new_array, old_array, err_msg=f"{case}: {field}")


def test_date_tables_and_constants_are_unchanged(reference: ModuleType) -> None:
    assert list(tasks.DATE_FORMATS) == list(reference.DATE_FORMATS)
    days = [date(1950, 1, 1) + timedelta(days=37 * i) for i in range(1000)]
    for format_name, formatter in tasks.DATE_FORMATS.items():
        old_formatter = reference.DATE_FORMATS[format_name]
        assert [formatter(d) for d in days] == [old_formatter(d) for d in days], format_name
    assert tasks.date_source_vocab() == reference.date_source_vocab()
    for constant in (
        "TASKS_VERSION",
        "INPUT_TRANSFORMS",
        "MEMORIZATION_MODES",
        "DATE_FORMATS_WITH_WEEKDAY",
        "TWO_DIGIT_YEAR_FORMATS",
    ):
        assert getattr(tasks, constant) == getattr(reference, constant), constant


def test_every_old_public_name_is_still_importable(reference: ModuleType) -> None:
    missing = [name for name in reference.__all__ if not hasattr(tasks, name)]
    assert not missing, f"attn_lib.tasks no longer offers {missing}"
    assert set(reference.__all__) <= set(tasks.__all__)


BAD_CALLS: dict[str, Callable[[Any], Any]] = {
    "digits 0": lambda m: m.addition_task(0, 10),
    "n_samples float": lambda m: m.addition_task(2, 5e2),
    "too many pairs": lambda m: m.addition_task(1, 56),
    "bad mode": lambda m: m.memorization_task(5, 10, mode="sort"),
    "fractions": lambda m: m.memorization_task(5, 10, val_fraction=0.6, test_fraction=0.4),
    "bad date": lambda m: m.date_task(10, start="2020-13-01"),
    "two-digit years": lambda m: m.date_task(10, start="1900-01-01", end="2049-12-31"),
    "informative step": lambda m: m.attention_column_task(10, time_steps=5, informative_step=5),
    "seed": lambda m: m.attention_dense_task(10, seed=-1),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
def test_error_messages_are_unchanged(reference: ModuleType, case: str) -> None:
    with pytest.raises(ValueError) as old_error:
        BAD_CALLS[case](reference)
    with pytest.raises(ValueError) as new_error:
        BAD_CALLS[case](tasks)
    assert str(new_error.value) == str(old_error.value)
