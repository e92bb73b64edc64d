"""attn_lib.export: the file format, its round trip, the size budget and what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import keras
import numpy as np
import pytest

from attn_lib import (
    AttentionSeq2Seq,
    Seq2Seq,
    SimpleSeq2Seq,
    addition_task,
    date_task,
    word_order_task,
)
from attn_lib.export import (
    FORMAT,
    FORMAT_VERSION,
    MAX_BYTES,
    ModelExport,
    export_model,
    load_export,
)
from attn_lib.tasks import date_source_vocab


@pytest.fixture(scope="module")
def dates():
    return date_task(300, seed=0)


@pytest.fixture(scope="module")
def addition():
    return addition_task(3, 600, reverse=True, seed=0)


def _model(data, **config) -> AttentionSeq2Seq:
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length)
    return AttentionSeq2Seq(*sizes, data.output_length, **config)


def _chapter_sizes() -> dict[str, tuple[AttentionSeq2Seq, object]]:
    """The chapter configurations (chapter 8: dates, chapter 6: addition) at full size."""
    dates = date_task(2000, seed=0)
    addition = addition_task(3, 2000, reverse=True, seed=0)
    # The full chapter's longest date can be longer than this sample's: the size does not depend
    # on the input length, but use the largest one any date format prints to be safe.
    assert dates.source_vocab == date_source_vocab()
    return {
        "chapter 8": (_model(dates, score="additive", bidirectional=True, units=64), dates),
        "chapter 6": (_model(addition, score="dot", units=128), addition),
    }


def test_chapter_models_fit_the_budget() -> None:
    sizes = {}
    for chapter, (model, data) in _chapter_sizes().items():
        exported = export_model(model, data, name="m")
        sizes[chapter] = exported.size
        # float16: two bytes per weight, base64 adds a third; the manifest is small.
        assert exported.size == pytest.approx(model.count_params() * 2 * 4 / 3, rel=0.05)
        assert exported.size <= MAX_BYTES
    assert sizes["chapter 8"] < 200_000, sizes


@pytest.mark.parametrize(
    "config",
    [
        {"score": "additive", "bidirectional": True},
        {"score": "dot"},
        {"score": "general", "bidirectional": True, "num_layers": 2},
    ],
)
def test_round_trip(tmp_path: Path, dates, config: dict) -> None:
    model = _model(dates, units=16, **config)
    exported = export_model(model, dates, name="dates")
    path = exported.write(tmp_path)
    assert path.name == exported.filename == f"{exported.key}.js"
    assert path.stat().st_size == exported.size
    again = load_export(path)
    assert again.manifest == exported.manifest and again.weights == exported.weights
    # Every weight is the float16 rounding of the model's own, and to_keras carries exactly those.
    rebuilt = again.to_keras()
    assert rebuilt.get_config() | {"name": None} == model.get_config() | {"name": None}
    originals = [np.asarray(w) for w in model.weights]
    copies = [np.asarray(w) for w in rebuilt.weights]
    assert len(originals) == len(copies) == len(exported.tensors())
    for original, copy in zip(originals, copies, strict=True):
        np.testing.assert_array_equal(copy, original.astype("float16").astype("float32"))


def test_manifest_content(dates, addition) -> None:
    exported = export_model(_model(addition, score="dot", units=16), addition, name="addition")
    manifest = exported.manifest
    assert manifest["format"] == FORMAT and manifest["format_version"] == FORMAT_VERSION
    assert manifest["source_vocab"][:3] == ["<pad>", "<s>", "</s>"]
    assert manifest["source_vocab"][3:] == list(addition.source_vocab.chars)
    assert manifest["target_vocab"][3:] == list(addition.target_vocab.chars)
    assert manifest["input_transforms"] == ["reverse"]
    assert manifest["max_query_length"] == addition.input_length
    assert manifest["model"]["score"] == "dot" and manifest["model"]["units"] == 16
    table = manifest["weights"]["tensors"]
    names = [entry["name"] for entry in table]
    assert names[0] == "source_embedding" and names[-1] == "output.bias"
    assert "combine.kernel" in names and "attention.key.kernel" not in names
    total = sum(int(np.prod(entry["shape"])) for entry in table)
    assert len(exported.weights) == 2 * total
    doubled = addition_task(3, 600, reverse=True, double=True, seed=0)
    manifest = export_model(_model(doubled, units=8), doubled, name="d").manifest
    assert manifest["max_query_length"] == doubled.input_length // 2 == 7


def test_script_is_plain_ascii_and_registers_once(tmp_path: Path, dates) -> None:
    exported = export_model(_model(dates, units=8, bidirectional=True), dates, name="dates")
    text = exported.script()
    assert text.isascii() and text.count("AttnSeq2SeqModels") == 2
    body = json.loads(text.splitlines()[2])
    assert set(body) == {"manifest", "weights"}
    # The content hash changes with any weight.
    other = ModelExport(exported.name, exported.manifest, exported.weights[:-2] + b"\x00\x3c")
    assert other.key != exported.key


def test_rejects_models_without_attention(dates) -> None:
    sizes = (len(dates.source_vocab), len(dates.target_vocab), dates.input_length)
    for model_class in (Seq2Seq, SimpleSeq2Seq):
        model = model_class(*sizes, dates.output_length, units=8)
        with pytest.raises(ValueError, match="only AttentionSeq2Seq"):
            export_model(model, dates, name="x")
    with pytest.raises(ValueError, match="only AttentionSeq2Seq"):
        export_model("model", dates, name="x")  # type: ignore[arg-type]


def test_rejects_layers_the_runtime_does_not_implement(dates) -> None:
    model = _model(dates, units=8)
    model.encoder_layers[0].cell.activation = keras.activations.relu
    with pytest.raises(ValueError, match=r"encoder\.0\.forward: an LSTM other than tanh"):
        export_model(model, dates, name="x")
    model = _model(dates, units=8, score="dot")
    model.combine.activation = keras.activations.relu
    with pytest.raises(ValueError, match="combine: a Dense layer with activation relu"):
        export_model(model, dates, name="x")

    class WithExtraWeight(AttentionSeq2Seq):  # a weight the runtime cannot know about
        def build(self, input_shape=None) -> None:
            self.extra = self.add_weight(shape=(3,), name="extra")
            super().build(input_shape)

    sizes = (len(dates.source_vocab), len(dates.target_vocab), dates.input_length)
    model = WithExtraWeight(*sizes, dates.output_length, units=8, score="dot")
    with pytest.raises(ValueError, match=r"knows \d+ of them"):
        export_model(model, dates, name="x")
    model = _model(dates, units=8, score="dot")
    del model.combine  # as if the layer had been renamed
    with pytest.raises(ValueError, match=r"not laid out as attn_lib\.export expects"):
        export_model(model, dates, name="x")


def test_rejects_bad_arguments_and_weights(dates, addition) -> None:
    model = _model(dates, units=8)
    for name in ("", "Dates", "dates.js", "x" * 41, "-x", 3):
        with pytest.raises(ValueError, match="name must be"):
            export_model(model, dates, name=name)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="data must be a Seq2SeqData"):
        export_model(model, "dates", name="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="target vocabulary has"):
        export_model(model, addition, name="x")
    words = word_order_task(60, seed=0)
    sizes = (len(words.source_vocab), len(words.target_vocab), words.input_length)
    word_model = AttentionSeq2Seq(*sizes, words.output_length, units=8, score="dot")
    with pytest.raises(ValueError, match="word vocabulary"):
        export_model(word_model, words, name="x")
    big = _model(dates, units=8)
    big.output_layer.bias.assign(np.full(big.output_layer.bias.shape, 1e5, "float32"))
    with pytest.raises(ValueError, match="beyond float16's range"):
        export_model(big, dates, name="x")
    big.output_layer.bias.assign(np.full(big.output_layer.bias.shape, np.nan, "float32"))
    with pytest.raises(ValueError, match="NaN"):
        export_model(big, dates, name="x")
    with pytest.raises(ValueError, match="above the page budget"):
        export_model(_model(addition, score="dot", units=256), addition, name="x")


def test_load_rejects_other_files(tmp_path: Path, dates) -> None:
    exported = export_model(_model(dates, units=8), dates, name="dates")
    path = exported.write(tmp_path)
    junk = tmp_path / "junk.js"
    junk.write_text("console.log(1)\n")
    with pytest.raises(ValueError, match="not an attn_lib browser model file"):
        load_export(junk)
    with pytest.raises(ValueError, match="not an attn_lib browser model file"):
        load_export(tmp_path / "missing.js")
    lines = path.read_text().splitlines()
    body = json.loads(lines[2])
    body["manifest"]["format_version"] = FORMAT_VERSION + 1
    newer = tmp_path / path.name
    newer.write_text("\n".join([*lines[:2], json.dumps(body), lines[3]]) + "\n")
    with pytest.raises(ValueError, match="version 2"):
        load_export(newer)
    body["manifest"]["format_version"] = FORMAT_VERSION
    body["weights"] = body["weights"][:-8] + "AAAAAAAA"
    newer.write_text("\n".join([*lines[:2], json.dumps(body), lines[3]]) + "\n")
    with pytest.raises(ValueError, match="does not match its content hash"):
        load_export(newer)
