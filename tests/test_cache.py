"""Tests for attn_lib.cache: round trips, hits, damaged entries, keys, and atomic saves."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import keras
import numpy as np
import pytest

from attn_lib import cache as cache_mod
from attn_lib.cache import CacheEntry, CacheWarning, ResultCache

X = np.arange(12, dtype="float32").reshape(4, 3) / 10.0


def tiny_model(seed: int = 0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])


def predict(model: keras.Model) -> np.ndarray:
    return model.predict_on_batch(X)


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.fixture
def cache(tmp_path: Path) -> ResultCache:
    return ResultCache(tmp_path / "cache")


@pytest.fixture
def key(cache: ResultCache) -> str:
    return cache.make_key(task="addition", model_config={"units": 8}, epochs=3, seed=0)


class Counter:
    """A compute() that counts its calls."""

    def __init__(self, model_seed: int = 0) -> None:
        self.calls = 0
        self.model_seed = model_seed

    def __call__(self) -> tuple[keras.Model, dict[str, Any]]:
        self.calls += 1
        return tiny_model(self.model_seed), {"loss": [np.float32(0.5), 0.25], "epochs": 2}


def test_round_trip_gives_identical_predictions_and_payload(cache: ResultCache, key: str) -> None:
    model = tiny_model()
    payload = {"loss": np.array([0.5, 0.25]), "best": np.float64(0.25), "shape": (2, 3)}
    assert not cache.directory.exists()  # created lazily
    cache.save(key, model, payload)
    assert names(cache.directory) == [f"{key}.json", f"{key}.keras"]
    assert key in cache

    entry = cache.load(key)
    assert isinstance(entry, CacheEntry) and entry.key == key
    np.testing.assert_array_equal(predict(entry.model), predict(model))
    assert entry.payload == {"loss": [0.5, 0.25], "best": 0.25, "shape": [2, 3]}
    assert (cache.hits, cache.misses, cache.corrupt) == (1, 0, 0)


def test_sidecar_records_metadata(cache: ResultCache, key: str) -> None:
    cache.save(key, tiny_model(), {"loss": [1.0]})
    meta = json.loads((cache.directory / f"{key}.json").read_text(encoding="utf-8"))
    keras_bytes = (cache.directory / f"{key}.keras").read_bytes()
    assert meta["format_version"] == cache_mod.FORMAT_VERSION
    assert meta["model"]["sha256"] == hashlib.sha256(keras_bytes).hexdigest()
    assert meta["parts"] == {
        "task": "addition",
        "model_config": {"units": 8},
        "epochs": 3,
        "seed": 0,
    }
    assert meta["created"] and meta["versions"]["keras"] == keras.__version__
    assert meta["payload"] == {"loss": [1.0]}


def test_second_get_or_compute_is_a_hit(cache: ResultCache, key: str) -> None:
    compute = Counter()
    first = cache.get_or_compute(key, compute)
    second = cache.get_or_compute(key, compute)
    assert compute.calls == 1
    assert (cache.hits, cache.misses) == (1, 1)
    assert first.payload == second.payload == {"loss": [0.5, 0.25], "epochs": 2}
    np.testing.assert_array_equal(predict(first.model), predict(second.model))
    # A fresh cache object over the same directory (a re-run notebook) also hits.
    again = ResultCache(cache.directory)
    again.get_or_compute(key, compute)
    assert compute.calls == 1 and again.hits == 1


def test_payload_only_entry(cache: ResultCache, key: str) -> None:
    cache.save(key, None, {"accuracy": 0.9})
    assert names(cache.directory) == [f"{key}.json"]
    entry = cache.load(key)
    assert entry is not None and entry.model is None and entry.payload == {"accuracy": 0.9}


def test_miss_returns_none(cache: ResultCache, key: str) -> None:
    assert cache.load(key) is None
    assert key not in cache
    assert (cache.hits, cache.misses, cache.corrupt) == (0, 1, 0)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _swap_for_other_model(cache: ResultCache, key: str) -> None:
    """A perfectly loadable .keras file that is not the committed one."""
    other = cache.directory / "other.keras"
    tiny_model(seed=1).save(other)
    other.replace(cache.directory / f"{key}.keras")


def _garbage_with_matching_sha(cache: ResultCache, key: str) -> None:
    """The checksum matches, but Keras cannot read the file."""
    garbage = b"not a zip archive"
    (cache.directory / f"{key}.keras").write_bytes(garbage)
    json_path = cache.directory / f"{key}.json"
    meta = json.loads(json_path.read_text(encoding="utf-8"))
    meta["model"]["sha256"] = hashlib.sha256(garbage).hexdigest()
    json_path.write_text(json.dumps(meta), encoding="utf-8")


DAMAGE = {
    "truncated_keras": lambda c, k: _truncate(c.directory / f"{k}.keras"),
    "truncated_json": lambda c, k: _truncate(c.directory / f"{k}.json"),
    "missing_keras": lambda c, k: (c.directory / f"{k}.keras").unlink(),
    "json_not_object": lambda c, k: (c.directory / f"{k}.json").write_text("[1, 2]"),
    "sha_mismatch": _swap_for_other_model,
    "keras_load_fails": _garbage_with_matching_sha,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_entry_warns_and_recomputes(cache: ResultCache, key: str, damage: str) -> None:
    compute = Counter()
    cache.get_or_compute(key, compute)
    DAMAGE[damage](cache, key)

    with pytest.warns(CacheWarning, match="damaged cache entry"):
        entry = cache.get_or_compute(key, compute)
    assert compute.calls == 2
    assert (cache.hits, cache.misses, cache.corrupt) == (0, 2, 1)
    np.testing.assert_array_equal(predict(entry.model), predict(tiny_model(0)))
    # The broken files were replaced by a good entry: the next run hits.
    assert cache.load(key) is not None and cache.hits == 1
    assert names(cache.directory) == [f"{key}.json", f"{key}.keras"]


def test_key_depends_on_every_part_and_is_canonical(cache: ResultCache) -> None:
    base = {"task": "date", "model_config": {"units": 8, "cell": "gru"}, "epochs": 3, "seed": 0}
    key = cache.make_key(**base)
    assert len(key) == 64 and key == cache.make_key(**base)
    # Order of keys, tuples vs lists and numpy scalars/arrays do not matter.
    same = {
        "seed": np.int64(0),
        "epochs": 3,
        "model_config": {"cell": "gru", "units": np.int32(8)},
        "task": "date",
    }
    assert cache.make_key(**same) == key
    assert cache.make_key(shape=(2, 3)) == cache.make_key(shape=np.array([2, 3]))
    variants = [
        {**base, "task": "addition"},
        {**base, "model_config": {"units": 9, "cell": "gru"}},
        {**base, "epochs": 4},
        {**base, "seed": 1},
        {**base, "extra": None},
    ]
    keys = {cache.make_key(**v) for v in variants}
    assert len(keys) == len(variants) and key not in keys


def test_key_changes_with_library_versions(
    cache: ResultCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = cache.make_key(task="date")
    monkeypatch.setattr(keras, "__version__", "9.9.9")
    keras_changed = cache.make_key(task="date")
    assert keras_changed != key
    monkeypatch.setattr(cache_mod, "_package_version", lambda *dists: "123.0")
    assert cache.make_key(task="date") not in {key, keras_changed}


def test_non_jsonable_part_names_the_key(cache: ResultCache) -> None:
    with pytest.raises(ValueError, match=r"model_config\.layer"):
        cache.make_key(model_config={"layer": object()})
    with pytest.raises(ValueError, match="tags"):
        cache.make_key(tags={"a", "b"})
    with pytest.raises(ValueError, match=r"cfg\[1\]"):
        cache.make_key(cfg=[1, b"bytes"])
    with pytest.raises(ValueError, match="str"):
        cache.make_key(cfg={1: "int key"})


def test_non_jsonable_payload_writes_nothing(cache: ResultCache, key: str) -> None:
    with pytest.raises(ValueError, match=r"payload\.model"):
        cache.save(key, tiny_model(), {"model": tiny_model()})
    with pytest.raises(ValueError, match=r"payload\.when"):
        cache.get_or_compute(key, lambda: (None, {"when": np.datetime64("2024-01-01")}))
    assert names(cache.directory) == []


@pytest.mark.parametrize("bad", ["", "abc", "../" + "0" * 61, "A" * 64, "g" * 64, 123, None])
def test_malformed_key_is_rejected(cache: ResultCache, bad: Any) -> None:
    with pytest.raises(ValueError, match="64"):
        cache.load(bad)
    with pytest.raises(ValueError, match="64"):
        cache.save(bad, None, {})
    with pytest.raises(ValueError, match="64"):
        _ = bad in cache


def _fail(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("simulated crash")


@pytest.mark.parametrize("stage", ["model_save", "json_write", "commit"])
def test_crash_during_save_leaves_nothing(
    cache: ResultCache, key: str, stage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tiny_model()
    if stage == "model_save":
        monkeypatch.setattr(model, "save", _fail)
    elif stage == "json_write":
        monkeypatch.setattr(cache_mod, "_write_json", _fail)
    else:  # the .keras file is already in place when the sidecar's rename fails
        real_replace = cache_mod.os.replace

        def replace(src: Any, dst: Any) -> None:
            if str(dst).endswith(".json"):
                raise RuntimeError("simulated crash")
            real_replace(src, dst)

        monkeypatch.setattr(cache_mod.os, "replace", replace)
    with pytest.raises(RuntimeError, match="simulated crash"):
        cache.save(key, model, {"loss": [1.0]})
    assert names(cache.directory) == []  # no final files and no temporary files
    assert key not in cache


def test_crash_during_resave_keeps_old_entry(
    cache: ResultCache, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.save(key, tiny_model(0), {"run": 1})
    monkeypatch.setattr(cache_mod, "_write_json", _fail)
    with pytest.raises(RuntimeError):
        cache.save(key, tiny_model(1), {"run": 2})
    entry = cache.load(key)
    assert entry is not None and entry.payload == {"run": 1}
    np.testing.assert_array_equal(predict(entry.model), predict(tiny_model(0)))
    assert names(cache.directory) == [f"{key}.json", f"{key}.keras"]


def test_failed_store_still_returns_fresh_result(
    cache: ResultCache, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_mod, "_write_json", _fail)
    with pytest.warns(CacheWarning, match="could not store"):
        entry = cache.get_or_compute(key, Counter())
    assert entry.model is not None and entry.payload["epochs"] == 2
    assert names(cache.directory) == []


def test_clear_removes_only_cache_files(cache: ResultCache, key: str) -> None:
    assert cache.clear() == 0  # no directory yet
    cache.save(key, tiny_model(), {})
    cache.save(cache.make_key(other=1), None, {})
    (cache.directory / f".{key}.x1y2.tmp.keras").write_bytes(b"leftover")
    (cache.directory / "notes.txt").write_text("keep me")
    assert cache.clear() == 4
    assert names(cache.directory) == ["notes.txt"]
    assert key not in cache


def test_default_directory_honours_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "from_env"
    monkeypatch.setenv("ATTN_LIB_CACHE_DIR", str(target))
    cache = ResultCache()
    assert cache.directory == target and not target.exists()
    key = cache.make_key(x=1)
    cache.save(key, None, {"ok": True})
    assert (target / f"{key}.json").is_file()
