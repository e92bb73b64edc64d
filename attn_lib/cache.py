"""Atomic, versioned result cache, so re-running a chapter does not retrain.

An entry is a Keras model (``<key>.keras``) plus a JSON sidecar (``<key>.json``) that holds a
payload such as the training history. The sidecar is written last and is the commit marker; it
records the SHA-256 of the model file, so a damaged or half-copied entry is detected, removed and
recomputed instead of crashing the notebook. Keys hash the caller's parts together with the
library versions, so upgrading Keras, TensorFlow, NumPy, Python or attn_lib trains afresh.

>>> cache = ResultCache()  # doctest: +SKIP
>>> key = cache.make_key(task="addition", epochs=10, seed=0)  # doctest: +SKIP
>>> entry = cache.get_or_compute(key, lambda: (train_model(), {"loss": [0.5]}))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import keras
import numpy as np

from attn_lib import config

__all__ = ["CacheEntry", "CacheWarning", "ResultCache"]

#: Layout version of the JSON sidecar; a sidecar with another version is treated as damaged.
FORMAT_VERSION = 1

_KEY_RE = re.compile(r"[0-9a-f]{64}")
_TEMP_RE = re.compile(r"\.[0-9a-f]{64}\..*\.tmp\.(keras|json)")
_SUMMARY_LIMIT = 200  # characters of JSON kept per part in the sidecar's summary
_CHUNK = 1 << 20

Compute = Callable[[], tuple["keras.Model | None", dict[str, Any]]]


class CacheWarning(UserWarning):
    """A cache entry was damaged (and removed) or a result could not be stored."""


@dataclass
class CacheEntry:
    """One cached result.

    Attributes:
        model: The stored model, or None when only a payload was stored.
        payload: The JSON payload (e.g. a training history), as plain Python values.
        key: The 64-character hex key of the entry.
    """

    model: keras.Model | None
    payload: dict[str, Any]
    key: str


def _package_version(*dists: str) -> str | None:
    """Version of the first installed distribution among ``dists``, or None."""
    for dist in dists:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def library_versions() -> dict[str, str]:
    """Versions that go into every key: attn_lib, keras (and backend), tensorflow, numpy, python."""
    tf = sys.modules.get("tensorflow")
    tf_version = getattr(tf, "__version__", None) or _package_version(
        "tensorflow", "tensorflow-cpu"
    )
    return {
        "attn_lib": _package_version("attn-lib") or "dev",
        "keras": str(keras.__version__),
        "keras_backend": str(keras.backend.backend()),
        "tensorflow": str(tf_version or "absent"),
        "numpy": str(np.__version__),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def to_jsonable(value: Any, where: str = "value") -> Any:
    """Return ``value`` as plain JSON types; numpy scalars/arrays and tuples are converted.

    Raises:
        ValueError: naming the offending entry (``where``) if something is not JSON-able.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise ValueError(f"{where}: numpy array of dtype {value.dtype} is not JSON-able")
        return to_jsonable(value.tolist(), where)
    if isinstance(value, np.generic):
        if value.dtype.kind not in "biuf":
            raise ValueError(f"{where}: numpy scalar of dtype {value.dtype} is not JSON-able")
        return value.item()
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError(f"{where}: dict keys must be str, got {k!r} ({type(k).__name__})")
            out[k] = to_jsonable(v, f"{where}.{k}")
        return out
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise ValueError(f"{where}: {type(value).__name__} value {value!r:.80} is not JSON-able")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _summarise(parts: dict[str, Any]) -> dict[str, Any]:
    """Small, human-readable copy of the key parts for the sidecar (long parts are elided)."""
    summary: dict[str, Any] = {}
    for name, value in parts.items():
        text = _canonical(value)
        if len(text) <= _SUMMARY_LIMIT:
            summary[name] = value
        else:
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            summary[name] = f"<{len(text)} chars of JSON, sha256 {digest}…>"
    return summary


def _sha256_and_fsync(path: Path) -> str:
    """SHA-256 hex digest of a file, flushing it to disk on the way."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
        os.fsync(f.fileno())
    return digest.hexdigest()


def _fsync_dir(directory: Path) -> None:
    """Make renames in ``directory`` durable (best effort; not supported everywhere)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_json(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` as UTF-8 JSON to ``path`` and fsync it."""
    data = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


class ResultCache:
    """Store trained models and their results on disk, keyed by everything that produced them.

    Args:
        directory: Where entries live; default :func:`attn_lib.config.cache_dir`
            (``ATTN_LIB_CACHE_DIR``). Created on the first save.

    Attributes:
        hits: Loads that returned an entry.
        misses: Loads that returned None (absent or damaged entries).
        corrupt: Damaged entries that were found, reported and removed (also counted in misses).
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = (
            Path(directory).expanduser() if directory is not None else config.cache_dir()
        )
        self.hits = 0
        self.misses = 0
        self.corrupt = 0
        self._summaries: dict[str, dict[str, Any]] = {}  # key -> parts summary, for sidecars

    def __repr__(self) -> str:
        return (
            f"ResultCache({str(self.directory)!r}, hits={self.hits}, misses={self.misses}, "
            f"corrupt={self.corrupt})"
        )

    # -- keys ---------------------------------------------------------------------------------

    def make_key(self, **parts: Any) -> str:
        """SHA-256 hex key of the JSON-able ``parts`` plus the library versions.

        Raises:
            ValueError: if a part is not JSON-able (the message names the part).
        """
        normalised = {name: to_jsonable(value, name) for name, value in parts.items()}
        document = {"parts": normalised, "versions": library_versions()}
        key = hashlib.sha256(_canonical(document).encode("utf-8")).hexdigest()
        self._summaries[key] = _summarise(normalised)
        return key

    @staticmethod
    def _check_key(key: object) -> str:
        if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
            raise ValueError(
                f"cache key must be 64 lowercase hex characters (from make_key), got {key!r:.80}"
            )
        return key

    def _paths(self, key: object) -> tuple[Path, Path]:
        key = self._check_key(key)
        return self.directory / f"{key}.keras", self.directory / f"{key}.json"

    def __contains__(self, key: object) -> bool:
        """True if a committed entry exists (its integrity is checked only by :meth:`load`)."""
        _, json_path = self._paths(key)
        return json_path.is_file()

    # -- save ---------------------------------------------------------------------------------

    def save(self, key: str, model: keras.Model | None, payload: dict[str, Any]) -> None:
        """Store ``model`` (may be None) and ``payload`` under ``key``, atomically.

        Both files are first written to temporary files in the cache directory and fsynced; then
        the model file and finally the JSON sidecar (the commit marker) are moved into place.

        Raises:
            ValueError: for a malformed key or a payload that is not JSON-able (nothing written).
        """
        keras_path, json_path = self._paths(key)
        if not isinstance(payload, Mapping):
            raise ValueError(f"payload must be a dict, got {type(payload).__name__}")
        clean_payload = to_jsonable(payload, "payload")
        if model is not None and not isinstance(model, keras.Model):
            raise ValueError(f"model must be a keras.Model or None, got {type(model).__name__}")

        self.directory.mkdir(parents=True, exist_ok=True)
        temps: list[Path] = []
        keras_committed = False
        try:
            model_info: dict[str, Any] | None = None
            if model is not None:
                tmp_keras = self._temp_path(key, ".tmp.keras")
                temps.append(tmp_keras)
                model.save(tmp_keras)
                model_info = {
                    "file": keras_path.name,
                    "sha256": _sha256_and_fsync(tmp_keras),
                    "bytes": tmp_keras.stat().st_size,
                    "class": type(model).__name__,
                }
            document = {
                "format_version": FORMAT_VERSION,
                "key": key,
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "versions": library_versions(),
                "parts": self._summaries.get(key),
                "model": model_info,
                "payload": clean_payload,
            }
            tmp_json = self._temp_path(key, ".tmp.json")
            temps.append(tmp_json)
            _write_json(tmp_json, document)

            # Uncommit any older entry first, so an old sidecar never vouches for a new model.
            json_path.unlink(missing_ok=True)
            if model is None:
                keras_path.unlink(missing_ok=True)
            else:
                os.replace(temps[0], keras_path)
                keras_committed = True
            os.replace(tmp_json, json_path)
            _fsync_dir(self.directory)
        except BaseException:
            for tmp in temps:
                tmp.unlink(missing_ok=True)
            if keras_committed:
                keras_path.unlink(missing_ok=True)
            raise

    def _temp_path(self, key: str, suffix: str) -> Path:
        fd, name = tempfile.mkstemp(prefix=f".{key}.", suffix=suffix, dir=self.directory)
        os.close(fd)
        return Path(name)

    # -- load ---------------------------------------------------------------------------------

    def load(self, key: str, *, custom_objects: dict[str, Any] | None = None) -> CacheEntry | None:
        """Return the entry stored under ``key``, or None if absent or damaged.

        A damaged entry (unreadable sidecar, missing or altered model file, or a model Keras
        cannot load) is reported with a :class:`CacheWarning`, deleted, and counted in
        ``corrupt``; the caller then simply recomputes.
        """
        keras_path, json_path = self._paths(key)
        if not json_path.is_file():
            self.misses += 1
            return None
        try:
            entry = self._read(key, keras_path, json_path, custom_objects)
        except Exception as exc:
            warnings.warn(
                f"결과 캐시 항목이 손상되어 지우고 다시 계산합니다 (damaged cache entry removed, "
                f"will recompute): {json_path} — {type(exc).__name__}: {exc}",
                CacheWarning,
                stacklevel=2,
            )
            json_path.unlink(missing_ok=True)
            keras_path.unlink(missing_ok=True)
            self.corrupt += 1
            self.misses += 1
            return None
        self.hits += 1
        return entry

    @staticmethod
    def _read(
        key: str, keras_path: Path, json_path: Path, custom_objects: dict[str, Any] | None
    ) -> CacheEntry:
        document = json.loads(json_path.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            raise ValueError("sidecar is not a JSON object")
        if document.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"unknown sidecar format {document.get('format_version')!r}")
        if document.get("key") != key:
            raise ValueError(f"sidecar belongs to key {document.get('key')!r}")
        payload = document.get("payload")
        if not isinstance(payload, dict):
            raise ValueError("sidecar has no payload object")
        info = document.get("model")
        model = None
        if info is not None:
            if not isinstance(info, dict) or not isinstance(info.get("sha256"), str):
                raise ValueError("sidecar has a malformed model record")
            if not keras_path.is_file():
                raise FileNotFoundError(f"model file {keras_path.name} is missing")
            actual = _sha256_and_fsync(keras_path)
            if actual != info["sha256"]:
                recorded = info["sha256"]
                raise ValueError(f"model file sha256 {actual[:12]}… != recorded {recorded[:12]}…")
            model = keras.saving.load_model(keras_path, custom_objects=custom_objects)
        return CacheEntry(model=model, payload=payload, key=key)

    # -- convenience ----------------------------------------------------------------------------

    def get_or_compute(
        self, key: str, compute: Compute, *, custom_objects: dict[str, Any] | None = None
    ) -> CacheEntry:
        """Load the entry for ``key``; on a miss call ``compute()`` and store its result.

        ``compute`` returns ``(model_or_None, payload)``. The returned payload is the JSON form
        either way, so a hit and a miss give equal payloads. If storing fails for a reason other
        than a bad payload (disk full, a model Keras cannot save), a :class:`CacheWarning` is
        issued and the fresh result is still returned.
        """
        entry = self.load(key, custom_objects=custom_objects)
        if entry is not None:
            return entry
        result = compute()
        if not isinstance(result, tuple) or len(result) != 2:
            raise ValueError("compute() must return a (model or None, payload dict) tuple")
        model, payload = result
        if not isinstance(payload, Mapping):
            raise ValueError(f"compute() payload must be a dict, got {type(payload).__name__}")
        if model is not None and not isinstance(model, keras.Model):
            raise ValueError(f"compute() model must be a keras.Model or None, got {type(model)}")
        clean_payload = to_jsonable(payload, "payload")
        try:
            self.save(key, model, clean_payload)
        except Exception as exc:
            warnings.warn(
                f"결과를 캐시에 저장하지 못했습니다 (could not store result in {self.directory}): "
                f"{type(exc).__name__}: {exc}",
                CacheWarning,
                stacklevel=2,
            )
        return CacheEntry(model=model, payload=clean_payload, key=key)

    def clear(self) -> int:
        """Delete every entry and leftover temporary file in the directory; return files removed.

        Other files in the directory are left alone.
        """
        if not self.directory.is_dir():
            return 0
        removed = 0
        for path in self.directory.iterdir():
            name = path.name
            stem, _, ext = name.partition(".")
            entry_file = ext in ("keras", "json") and _KEY_RE.fullmatch(stem)
            ours = entry_file or _TEMP_RE.fullmatch(name)
            if ours and path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
        return removed
