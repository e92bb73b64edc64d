"""seq2seq_runtime.js under node: input validation, error messages, loading, float16 decoding."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from attn_lib import addition_task, date_task
from attn_lib.export import export_model
from tests.webmodel_helpers import node_script, random_model, run_node


@pytest.fixture(scope="module")
def date_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    data = date_task(300, seed=0)
    model = random_model(data, score="additive", bidirectional=True, units=8)
    return export_model(model, data, name="dates").write(tmp_path_factory.mktemp("m")), data


@pytest.fixture(scope="module")
def addition_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    data = addition_task(3, 600, reverse=True, double=True, seed=0)
    model = random_model(data, score="dot", units=8)
    return export_model(model, data, name="addition").write(tmp_path_factory.mktemp("m")), data


def test_unknown_character_is_reported_in_korean(date_file, addition_file) -> None:
    path, _ = date_file
    results = run_node(path, ["2026년 11월 30일 월요일!", "a😀b", "\t2026"])
    for result, char, index in zip(results, ["!", "😀", "\t"], [17, 1, 0], strict=True):
        assert result["ok"] is False
        error = result["error"]
        assert error["code"] == "unknown_char"
        assert error["char"] == char and error["index"] == index  # code points, as in Python
        assert f"{index + 1}번째 글자" in error["message"]
        assert "이 모델이 배우지 않은 글자입니다" in error["message"]
        assert "쓸 수 있는 글자:" in error["message"]
    assert "'😀'" in results[1]["error"]["message"]
    assert "U+0009" in results[2]["error"]["message"]  # invisible characters by code point
    path, _ = addition_file
    (spaced,) = run_node(path, ["12 + 3"])
    assert spaced["error"]["code"] == "unknown_char"
    assert "3번째 글자 빈칸" in spaced["error"]["message"]


def test_too_long_empty_and_not_text(date_file, addition_file) -> None:
    path, data = date_file
    longest = data.input_length
    results = run_node(path, ["1" * (longest + 1), "1" * longest, "", 42, None, "x" * 99])
    too_long, fits, empty, number, missing, unknown_first = results
    assert too_long["error"]["code"] == "too_long"
    assert too_long["error"]["maxLength"] == longest
    assert too_long["error"]["length"] == longest + 1
    assert f"최대 {longest}글자까지" in too_long["error"]["message"]
    assert fits["ok"] is True
    assert empty["error"]["code"] == "empty" and "비어 있습니다" in empty["error"]["message"]
    assert number["error"]["code"] == missing["error"]["code"] == "not_text"
    # Like Seq2SeqData.encode_inputs: an unknown character is reported before the length.
    assert unknown_first["error"]["code"] == "unknown_char"
    path, data = addition_file  # "double": the box takes half of the encoder length
    results = run_node(path, ["1" * 8, "1" * 7])
    assert results[0]["error"]["maxLength"] == data.input_length // 2 == 7
    assert results[1]["ok"] is True


def test_transforms_and_normalisation(date_file, addition_file) -> None:
    path, _ = addition_file
    (result,) = run_node(path, ["12+345"])
    # reverse, then double: what the encoder reads, and where each character came from
    assert "".join(result["inputTokens"]) == "543+21543+21"
    assert result["sourcePositions"] == [5, 4, 3, 2, 1, 0] * 2
    assert len(result["attention"]) == len(result["outputIds"])
    assert all(len(row) == 14 for row in result["attention"])
    assert all(sum(row[12:]) == 0 for row in result["attention"])  # padding gets exactly 0
    path, _ = date_file
    composed = "2026년 11월 30일 월요일"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    first, second = run_node(path, [composed, decomposed])
    assert first["ok"] and second["ok"]
    assert first["outputIds"] == second["outputIds"]
    assert first["steps"] == (first["outputIds"].index(2) + 1 if 2 in first["outputIds"] else 11)


def test_translate_never_throws_and_load_errors_are_korean(date_file) -> None:
    path, _ = date_file
    script = f"""
const model = loadModelFile({json.dumps(str(path))});
const out = {{}};
model.decodeIds = () => {{ throw new Error("boom"); }};
out.internal = model.translate("2026");
const entry = {{ manifest: JSON.parse(JSON.stringify(model.manifest)), weights: "AAAA" }};
const attempt = (e) => {{
  try {{ runtime.load(e); return "loaded"; }} catch (err) {{ return err.message; }}
}};
out.shortWeights = attempt(entry);
entry.manifest.format_version = 99;
out.newerFormat = attempt(entry);
out.nothing = attempt(undefined);
try {{ runtime.fromRegistry("missing-000000000000", {{}}); }}
catch (err) {{ out.missing = err.message; }}
process.stdout.write(JSON.stringify(out));
"""
    out = json.loads(node_script(script))
    assert out["internal"]["ok"] is False
    assert out["internal"]["error"]["code"] == "internal"
    assert "모델을 실행하지 못했습니다: boom" in out["internal"]["error"]["message"]
    assert "가중치 크기가 맞지 않습니다" in out["shortWeights"]
    assert "모델 파일 형식이 맞지 않습니다" in out["newerFormat"]
    assert "모델 파일 형식이 맞지 않습니다" in out["nothing"]
    assert "모델 파일을 찾지 못했습니다" in out["missing"]


def test_float16_decoding_matches_numpy_for_every_bit_pattern() -> None:
    script = """
const values = [];
for (let bits = 0; bits < 65536; bits++) {
  const v = runtime.halfToNumber(bits);
  if (Object.is(v, -0)) values.push("-0");
  else if (!Number.isFinite(v)) values.push(String(v).replace("Infinity", "inf").toLowerCase());
  else values.push(v);
}
process.stdout.write(JSON.stringify(values));
"""
    decoded = json.loads(node_script(script))
    as_float = np.array([float(v) for v in decoded])  # also "nan", "inf", "-inf" and "-0"
    expected = np.arange(65536, dtype=np.uint16).view(np.float16).astype(np.float64)
    np.testing.assert_array_equal(as_float, expected)
    negative_zero = int(np.float16(-0.0).view(np.uint16))
    assert np.signbit(as_float[negative_zero])
