"""Words that follow the numbers: a tested rule turns measured seeds into a Korean verdict.

The book never states a measured comparison in fixed prose. A chapter measures both sides over
several seeds, calls :func:`compare`, and glues the verdict's Korean sentence into the text, so
the sentence changes when the numbers do. Where a fixed sentence cannot be avoided, a hidden cell
calls :func:`check_claim`, which fails the full build when the numbers contradict the sentence.

The rule: the gap between the two means counts only when it is larger than the noise band, the
larger of the two min-max spreads over seeds (never smaller than ``min_gap``, the smallest
difference worth a word). Inside the band the verdict is a tie: "시드 간 차이보다 작아
구별되지 않습니다".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from attn_lib.config import is_quick
from attn_lib.korean import josa

__all__ = ["ClaimError", "Comparison", "check_claim", "compare", "seed_summary"]

Outcome = Literal["ahead", "behind", "tie"]

VERBS: dict[Outcome, str] = {
    "ahead": "앞섰습니다",
    "behind": "뒤졌습니다",
    "tie": "시드 간 차이보다 작아 구별되지 않습니다",
}


def _values(name: str, values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype="float64").ravel()
    if array.size == 0:
        raise ValueError(f"{name} is empty: give one measured value per seed")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds a value that is not finite: {array.tolist()}")
    return array


@dataclass(frozen=True)
class Comparison:
    """The verdict on "does A beat B?" from per-seed measurements.

    Attributes:
        a, b: the per-seed values.
        gap: ``mean(a) - mean(b)`` (sign flipped when lower is better, so positive favours A).
        band: the noise band the gap had to clear.
        outcome: ``"ahead"`` (A is better by more than the band), ``"behind"`` or ``"tie"``.
    """

    a: tuple[float, ...]
    b: tuple[float, ...]
    gap: float
    band: float
    outcome: Outcome

    @property
    def mean_a(self) -> float:
        """Mean of A over seeds."""
        return float(np.mean(self.a))

    @property
    def mean_b(self) -> float:
        """Mean of B over seeds."""
        return float(np.mean(self.b))

    @property
    def verb(self) -> str:
        """The bare Korean verdict: 앞섰습니다 / 뒤졌습니다 / …구별되지 않습니다."""
        return VERBS[self.outcome]

    def sentence(self, a: str, b: str) -> str:
        """A full Korean sentence naming both sides, e.g. "2층 모델이 1층 모델보다 앞섰습니다"."""
        if not a or not b:
            raise ValueError("both sides need a name")
        if self.outcome == "tie":
            return f"{josa(a, '과/와')} {b}의 차이는 {self.verb}"
        return f"{josa(a, '이/가')} {b}보다 {self.verb}"


def compare(
    a: Sequence[float],
    b: Sequence[float],
    *,
    min_gap: float = 0.0,
    higher_is_better: bool = True,
) -> Comparison:
    """Decide whether A is ahead of, behind or indistinguishable from B.

    Args:
        a, b: one measurement per seed for each side (the same metric).
        min_gap: the smallest gap that counts even when both sides hardly vary (e.g. 0.01 for
            an accuracy); also the band when each side has a single seed.
        higher_is_better: False for metrics such as a loss or an entropy.

    Returns:
        A :class:`Comparison`.

    >>> compare([0.90, 0.92, 0.91], [0.80, 0.83, 0.81]).outcome
    'ahead'
    >>> compare([0.90, 0.70], [0.80, 0.85]).outcome
    'tie'
    """
    first, second = _values("a", a), _values("b", b)
    if not np.isfinite(min_gap) or min_gap < 0:
        raise ValueError(f"min_gap must be zero or positive, got {min_gap!r}")
    spread = max(np.ptp(first), np.ptp(second))
    band = float(max(spread, min_gap))
    gap = float(first.mean() - second.mean())
    if not higher_is_better:
        gap = -gap
    outcome: Outcome = "ahead" if gap > band else "behind" if gap < -band else "tie"
    return Comparison(tuple(first.tolist()), tuple(second.tolist()), gap, band, outcome)


def seed_summary(values: Sequence[float], digits: int = 3) -> str:
    """Korean summary of per-seed values: "평균 0.831 (0.652~0.922, 시드 3개)"."""
    array = _values("values", values)
    if len(array) == 1:
        return f"{array[0]:.{digits}f} (시드 1개)"
    return (
        f"평균 {array.mean():.{digits}f} ({array.min():.{digits}f}~{array.max():.{digits}f}, "
        f"시드 {len(array)}개)"
    )


class ClaimError(AssertionError):
    """A sentence of the chapter is contradicted by the numbers the chapter just measured."""


def check_claim(holds: bool, claim: str, **numbers: float) -> None:
    """Fail the build when a fixed sentence of the chapter does not hold for the measured numbers.

    In quick mode (``ATTN_BOOK_QUICK=1``) the budgets are too small for any claim to hold, so
    nothing is checked; the full book checks every claim.

    Args:
        holds: the condition the sentence states, computed from the chapter's numbers.
        claim: the sentence (or its gist) as the chapter states it.
        **numbers: the numbers the condition used, reported in the error.

    Raises:
        ClaimError: in a full build when ``holds`` is false.
    """
    if not isinstance(claim, str) or not claim.strip():
        raise ValueError("claim must be the sentence the chapter states")
    if not is_quick() and not holds:
        detail = ", ".join(f"{name}={value!r}" for name, value in numbers.items())
        raise ClaimError(f"본문의 주장과 측정값이 맞지 않습니다: {claim!r} ({detail})")
