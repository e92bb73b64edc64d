"""Chapters 5 and 9: how sharp a trained attention is, and why dot products are scaled.

- :func:`reversal_alignment` trains an :class:`~attn_lib.models.AttentionSeq2Seq` to reverse
  digit strings and measures how its attention lines up with the input position each output
  character comes from (the anti-diagonal), before and after training.
- :func:`attention_rows_stats` is the measurement itself, for any attention tensor.
- :func:`scaled_softmax_peak` is the numpy experiment behind the 1/sqrt(d_k) scaling of the
  Transformer's scaled dot-product attention.

Every function takes its budget as arguments, so a notebook runs it at the full-book or quick
budget and ``tests/claims`` at a small one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd

from attn_lib.cache import ResultCache
from attn_lib.decoding import DecodeResult, exact_match, greedy_decode
from attn_lib.models import AttentionSeq2Seq
from attn_lib.tasks import Seq2SeqData, memorization_task
from attn_lib.training import TrainingHistory, train_cached

__all__ = [
    "AlignmentReport",
    "attention_rows_stats",
    "reversal_alignment",
    "reversal_targets",
    "scaled_softmax_peak",
]


def reversal_targets(lengths: Sequence[int]) -> list[np.ndarray]:
    """The input position each output character of a reversed string comes from.

    Args:
        lengths: Real (unpadded) length of every input string.

    Returns:
        One int array per string: output step ``t`` copies input position ``n - 1 - t``.
    """
    return [np.arange(n - 1, -1, -1) for n in lengths]


def attention_rows_stats(
    attention: np.ndarray, lengths: Sequence[int], targets: Sequence[np.ndarray]
) -> dict[str, float]:
    """How concentrated attention rows are, and whether they point at the expected input.

    Only the rows of real output characters count (``len(targets[i])`` rows of example ``i``);
    the END row and padding rows are left out.

    Args:
        attention: Weights `(n, output_steps, input_steps)`.
        lengths: Real input length of every example (columns past it are padding).
        targets: For every example, the expected input position of each counted row.

    Returns:
        ``mean_max_weight`` (average of each row's largest weight), ``uniform_max_weight``
        (the same for weights spread evenly over the real inputs, ``1/n``), ``alignment``
        (share of rows whose largest weight sits on the expected position), ``target_weight``
        (average weight on the expected position) and ``padding_weight`` (largest total weight
        any row puts on padding).
    """
    attention = np.asarray(attention, dtype=float)
    if attention.ndim != 3:
        raise ValueError(f"attention must be (n, output_steps, input_steps), got {attention.shape}")
    if not len(attention) == len(lengths) == len(targets):
        raise ValueError(
            f"attention has {len(attention)} examples, lengths {len(lengths)}, "
            f"targets {len(targets)}"
        )
    max_weights, uniform, hits, on_target, padding = [], [], [], [], [0.0]
    for weights, n, expected in zip(attention, lengths, targets, strict=True):
        rows = weights[: len(expected)]
        max_weights.extend(rows.max(axis=1))
        uniform.extend([1.0 / n] * len(expected))
        hits.extend(rows.argmax(axis=1) == expected)
        on_target.extend(rows[np.arange(len(expected)), expected])
        padding.append(float(rows[:, n:].sum(axis=1).max(initial=0.0)))
    return {
        "mean_max_weight": float(np.mean(max_weights)),
        "uniform_max_weight": float(np.mean(uniform)),
        "alignment": float(np.mean(hits)),
        "target_weight": float(np.mean(on_target)),
        "padding_weight": float(max(padding)),
    }


@dataclass
class AlignmentReport:
    """What :func:`reversal_alignment` measured.

    Attributes:
        data: The reversal task.
        model: The trained model.
        history: Its training history.
        before: Greedy decoding of the probe inputs by the untrained model (same seed).
        after: Greedy decoding of the probe inputs by the trained model.
        lengths: Real length of every probe input.
        stats: One row per model state (``학습 전``, ``학습 후``) with the columns of
            :func:`attention_rows_stats` plus ``exact_match`` on the probe inputs.
    """

    data: Seq2SeqData
    model: keras.Model
    history: TrainingHistory
    before: DecodeResult
    after: DecodeResult
    lengths: list[int]
    stats: pd.DataFrame


def reversal_alignment(
    *,
    length: int = 8,
    min_length: int = 4,
    n_samples: int = 4000,
    epochs: int = 10,
    units: int = 64,
    embedding_dim: int = 16,
    score: str = "additive",
    batch_size: int = 64,
    n_probe: int = 200,
    seed: int = 0,
    verbose: int = 0,
    cache: ResultCache | None = None,
) -> AlignmentReport:
    """Train attention on string reversal and compare its rows before and after training.

    Args:
        length, min_length: Range of the string lengths (shorter strings are padded).
        n_samples: Distinct strings over train / validation / test.
        epochs: Training epochs.
        units, embedding_dim: Model size.
        score: ``"additive"``, ``"dot"`` or ``"general"``.
        batch_size: Examples per gradient step.
        n_probe: Test strings whose attention is measured.
        seed: Seed of the data, the weights and the shuffling.
        verbose: Passed to :func:`~attn_lib.training.train_cached`.
        cache: Result cache (default: the shared one in ``ATTN_LIB_CACHE_DIR``).

    Returns:
        An :class:`AlignmentReport`.
    """
    data = memorization_task(length, n_samples, mode="reverse", min_length=min_length, seed=seed)

    def make_model() -> AttentionSeq2Seq:
        return AttentionSeq2Seq(
            source_vocab_size=data.source_vocab.size,
            target_vocab_size=data.target_vocab.size,
            input_length=data.input_length,
            output_length=data.output_length,
            units=units,
            embedding_dim=embedding_dim,
            score=score,
        )

    probe = data.test.x[:n_probe]
    lengths = [len(text) for text in data.test.inputs[:n_probe]]
    targets = reversal_targets(lengths)
    probe_y = data.test.y[:n_probe]

    keras.utils.set_random_seed(seed)  # the same initial weights train() starts from
    untrained = make_model()
    before = greedy_decode(untrained, probe, vocab=data.target_vocab)
    model, history = train_cached(
        make_model,
        data,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        verbose=verbose,
        cache=cache,
    )
    after = greedy_decode(model, probe, vocab=data.target_vocab)

    rows = {}
    for label, result in (("학습 전", before), ("학습 후", after)):
        row = attention_rows_stats(result.attention, lengths, targets)
        row["exact_match"] = exact_match(result.token_ids, probe_y)
        rows[label] = row
    stats = pd.DataFrame.from_dict(rows, orient="index")
    return AlignmentReport(data, model, history, before, after, lengths, stats)


def scaled_softmax_peak(
    dims: Sequence[int], *, n_keys: int = 10, n_trials: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Largest softmax weight of random dot-product scores, with and without 1/sqrt(d_k).

    Queries and keys have independent standard-normal components, so a dot product has variance
    ``d_k``. Without scaling, the scores spread out as ``d_k`` grows and the softmax tends to a
    one-hot vector; dividing by ``sqrt(d_k)`` keeps the variance at 1.

    Args:
        dims: Key sizes ``d_k`` to try.
        n_keys: Keys per query (positions attended over).
        n_trials: Random queries per size.
        seed: Seed of ``np.random.default_rng``.

    Returns:
        A DataFrame indexed by ``d_k`` with columns ``score_std`` (standard deviation of the raw
        scores), ``max_weight_raw`` and ``max_weight_scaled`` (average largest weight).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for d_k in dims:
        queries = rng.standard_normal((n_trials, 1, d_k))
        keys = rng.standard_normal((n_trials, n_keys, d_k))
        scores = (queries * keys).sum(axis=-1)  # (n_trials, n_keys)
        peaks = {}
        for name, z in (("raw", scores), ("scaled", scores / np.sqrt(d_k))):
            z = z - z.max(axis=1, keepdims=True)
            weights = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
            peaks[name] = float(weights.max(axis=1).mean())
        rows.append(
            {
                "d_k": int(d_k),
                "score_std": float(scores.std()),
                "max_weight_raw": peaks["raw"],
                "max_weight_scaled": peaks["scaled"],
            }
        )
    return pd.DataFrame(rows).set_index("d_k")
