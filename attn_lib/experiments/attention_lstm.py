"""Chapter 7 (claim C6): what the chapter and its claim test both need.

The task (`attn_lib.tasks.attention_column_task`) hides a binary label in one time step of a
noise sequence. `profile_stats` measures one attention distribution over time (weight on the
informative step and after it, peak, entropy); `c6_verdict` turns those numbers, one row per
variant and seed, into the three parts of claim C6 with the book's seed-aware verdict rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attn_lib.verdicts import Comparison, compare

__all__ = [
    "CLEAR_PEAK",
    "VARIANTS",
    "VARIANT_LABELS",
    "C6Verdict",
    "c6_verdict",
    "profile_stats",
]

#: variant name -> (position, single_attention_vector) of `attn_lib.AttentionLSTM`
VARIANTS: dict[str, tuple[str, bool]] = {
    "before": ("before", False),
    "after": ("after", False),
    "after_single": ("after", True),
}
#: Table and legend label of each variant.
VARIANT_LABELS = {
    "before": "LSTM 앞 어텐션",
    "after": "LSTM 뒤 어텐션",
    "after_single": "LSTM 뒤 어텐션 (공유 벡터)",
}
#: "Peaks on the informative step": its weight is at least this many times any other step's.
CLEAR_PEAK = 3.0


def profile_stats(profile: np.ndarray, informative: int) -> dict[str, float]:
    """How much weight sits on and after the informative index, and how sharp the profile is.

    Args:
        profile: one distribution `(T,)` (non-negative, sums to 1).
        informative: the index that carries the label.

    Returns:
        ``on_step`` (weight on ``informative``), ``next_step`` (on ``informative + 1``),
        ``later_steps`` (on every index after it), ``earlier_max`` (the largest weight before
        it), ``peak_ratio`` (``on_step`` over the largest other weight), ``max_weight``,
        ``argmax`` and ``entropy_bits`` (0 = all weight on one step, ``log2(T)`` = uniform).
    """
    p = np.asarray(profile, dtype=float)
    if p.ndim != 1 or len(p) < 2 or not 0 <= informative < len(p):
        raise ValueError(
            f"need a 1-D profile of 2 or more steps and an index inside it, "
            f"got shape {p.shape} and index {informative}"
        )
    if not np.all(np.isfinite(p)) or np.any(p < 0) or not np.isclose(p.sum(), 1.0, atol=1e-3):
        raise ValueError(f"profile must be non-negative and sum to 1, got sum {p.sum():.4f}")
    nonzero = p[p > 0]
    others = np.delete(p, informative)
    return {
        "on_step": float(p[informative]),
        "next_step": float(p[informative + 1]) if informative + 1 < len(p) else 0.0,
        "later_steps": float(p[informative + 1 :].sum()),
        "earlier_max": float(p[:informative].max()) if informative else 0.0,
        "peak_ratio": float(p[informative] / others.max()) if others.max() > 0 else np.inf,
        "max_weight": float(p.max()),
        "argmax": int(p.argmax()),
        "entropy_bits": float(-(nonzero * np.log2(nonzero)).sum()),
    }


@dataclass(frozen=True)
class C6Verdict:
    """The three parts of claim C6, judged over seeds.

    Attributes:
        n_seeds: seeds per variant.
        before_peaks: seeds in which attention before the LSTM has its largest weight on the
            informative step, at least `CLEAR_PEAK` times any other step's.
        later: after-LSTM vs before-LSTM weight on the steps after the informative one.
        sharper: shared vector vs per-unit weights, on the largest weight.
        lower_entropy: shared vector vs per-unit weights, on entropy (lower is better).
    """

    n_seeds: int
    before_peaks: int
    later: Comparison
    sharper: Comparison
    lower_entropy: Comparison

    @property
    def parts(self) -> dict[str, str]:
        """Each part's status: ``"holds"``, ``"tie"`` (inside the seed spread) or ``"opposite"``.

        The first part ("before") is ``"holds"`` only when every seed peaks, ``"opposite"`` when
        none does and ``"tie"`` in between.
        """
        if self.before_peaks == self.n_seeds:
            before = "holds"
        else:
            before = "opposite" if self.before_peaks == 0 else "tie"
        single = {self.sharper.outcome, self.lower_entropy.outcome}
        if single == {"ahead"}:
            single_status = "holds"
        else:
            single_status = "opposite" if "behind" in single else "tie"
        return {
            "before": before,
            "after": {"ahead": "holds", "tie": "tie", "behind": "opposite"}[self.later.outcome],
            "single": single_status,
        }

    @property
    def word(self) -> str:
        """Korean verdict: 재현되었습니다, or which parts held, stayed in the spread, flipped."""
        names = {"before": "첫째", "after": "둘째", "single": "셋째"}
        groups: dict[str, list[str]] = {"holds": [], "tie": [], "opposite": []}
        for part, status in self.parts.items():
            groups[status].append(names[part])
        if len(groups["holds"]) == len(names):
            return "재현되었습니다"
        pieces = []
        if groups["holds"]:
            pieces.append(f"{'·'.join(groups['holds'])} 부분은 재현되었고")
        if groups["tie"]:
            pieces.append(f"{'·'.join(groups['tie'])} 부분은 시드 간 차이에 묻혀 확인되지 않았고")
        if groups["opposite"]:
            pieces.append(f"{'·'.join(groups['opposite'])} 부분은 반대로 나왔고")
        return ", ".join(pieces)[: -len("고")] + "습니다"


def c6_verdict(stats: pd.DataFrame, *, min_gap: float = 0.05) -> C6Verdict:
    """Judge claim C6 from `profile_stats` rows (plus ``variant`` and ``seed`` columns).

    Args:
        stats: one row per variant of `VARIANTS` and seed.
        min_gap: the smallest difference in weight (or, for entropy, in bits) that counts.

    Returns:
        A `C6Verdict`; every variant must have the same seeds.
    """
    needed = {"variant", "seed", "peak_ratio", "later_steps", "max_weight", "entropy_bits"}
    missing = needed - set(stats.columns)
    if missing:
        raise ValueError(f"stats lacks the column(s) {sorted(missing)}")
    rows = {name: stats[stats["variant"] == name].sort_values("seed") for name in VARIANTS}
    seeds = [tuple(r["seed"]) for r in rows.values()]
    if not seeds[0] or any(s != seeds[0] for s in seeds):
        raise ValueError(f"every variant needs the same non-empty seeds, got {seeds}")
    before, after, single = rows["before"], rows["after"], rows["after_single"]
    return C6Verdict(
        n_seeds=len(seeds[0]),
        # a ratio of CLEAR_PEAK (> 1) also means the largest weight is on the informative step
        before_peaks=int((before["peak_ratio"] >= CLEAR_PEAK).sum()),
        later=compare(after["later_steps"], before["later_steps"], min_gap=min_gap),
        sharper=compare(single["max_weight"], after["max_weight"], min_gap=min_gap),
        lower_entropy=compare(
            single["entropy_bits"], after["entropy_bits"], min_gap=min_gap, higher_is_better=False
        ),
    )
