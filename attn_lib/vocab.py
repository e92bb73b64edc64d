"""Token vocabulary shared by every seq2seq task: one character or one word per id.

Ids 0, 1 and 2 are reserved: PAD (masked everywhere), START (the decoder's first input) and END
(closes every target). The task's tokens follow from id 3 in sorted order, so the same set of
tokens always gives the same ids.

A character vocabulary (``level="char"``, the default) reads a string one character at a time. A
word vocabulary (``level="word"``) splits a string at whitespace and joins decoded words with one
space, so ``"철수가 사과를 먹었다"`` is three tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["TOKEN_LEVELS", "Vocab", "decoder_input_ids"]

#: How a vocabulary cuts a string into tokens.
TOKEN_LEVELS = ("char", "word")


class Vocab:
    """Maps tokens (single characters, or whole words) to int ids and back.

    Args:
        chars: The task's tokens: for ``level="char"`` a str or any iterable of one-character
            strs; for ``level="word"`` a list (or other iterable, not a str) of words without
            whitespace. Duplicates are dropped; order does not matter.
        level: ``"char"`` (one id per character) or ``"word"`` (one id per whitespace-separated
            word).

    Example:
        >>> vocab = Vocab("0123456789+")
        >>> vocab.encode("12+3", length=6, add_end=True).tolist()
        [5, 6, 3, 7, 2, 0]
        >>> vocab.decode([5, 6, 3, 7, 2, 0])
        '12+3'
        >>> words = Vocab(["I", "read", "a", "book"], level="word")
        >>> words.encode("I read a book").tolist()
        [3, 6, 4, 5]
        >>> words.decode([3, 6, 4, 5, 2])
        'I read a book'
    """

    PAD_ID = 0
    START_ID = 1
    END_ID = 2
    PAD = "<pad>"
    START = "<s>"
    END = "</s>"
    SPECIAL_TOKENS: tuple[str, ...] = (PAD, START, END)

    def __init__(self, chars: Iterable[str], *, level: str = "char") -> None:
        if level not in TOKEN_LEVELS:
            raise ValueError(f"level must be one of {list(TOKEN_LEVELS)}, got {level!r}")
        if level == "word" and isinstance(chars, str):
            raise ValueError(
                "a word vocabulary needs a list of words, not one str (a str would be read "
                f"character by character): got {chars!r:.60}"
            )
        unit = "character" if level == "char" else "word"
        unique: set[str] = set()
        for position, char in enumerate(chars):
            if not isinstance(char, str):
                raise ValueError(
                    f"each vocabulary element must be a one-{unit} str; element {position} "
                    f"is {type(char).__name__} {char!r}"
                )
            if char in self.SPECIAL_TOKENS:
                raise ValueError(f"{char!r} is a reserved token and cannot be a vocabulary {unit}")
            if level == "char" and len(char) != 1:
                raise ValueError(
                    f"each vocabulary element must be exactly one character; element {position} "
                    f"is {char!r} ({len(char)} characters)"
                )
            if level == "word" and (not char or char != "".join(char.split())):
                raise ValueError(
                    f"each word must be non-empty and free of whitespace; element {position} "
                    f"is {char!r}"
                )
            unique.add(char)
        if not unique:
            raise ValueError(f"a vocabulary needs at least one {unit}; got none")
        self._level = level
        self._chars: tuple[str, ...] = tuple(sorted(unique))
        first_id = len(self.SPECIAL_TOKENS)
        self._char_to_id = {char: first_id + i for i, char in enumerate(self._chars)}
        self._id_to_token = self.SPECIAL_TOKENS + self._chars

    # ------------------------------------------------------------------ basics
    @property
    def chars(self) -> tuple[str, ...]:
        """The task's tokens in id order, without the special tokens (words for a word vocab)."""
        return self._chars

    @property
    def level(self) -> str:
        """``"char"`` or ``"word"``: how `split` cuts a string into tokens."""
        return self._level

    def split(self, text: str) -> list[str]:
        """The tokens of `text`: its characters, or its whitespace-separated words."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__} {text!r}")
        return list(text) if self._level == "char" else text.split()

    def join(self, tokens: Iterable[str]) -> str:
        """The string of `tokens`: characters side by side, words with one space between."""
        return ("" if self._level == "char" else " ").join(tokens)

    @property
    def size(self) -> int:
        """Number of ids, special tokens included (the output size of a decoder)."""
        return len(self._id_to_token)

    def __len__(self) -> int:
        return self.size

    def __contains__(self, char: object) -> bool:
        return char in self._char_to_id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocab):
            return NotImplemented
        return (self._level, self._chars) == (other._level, other._chars)

    def __hash__(self) -> int:
        return hash((self._level, self._chars))

    def __repr__(self) -> str:
        if self._level == "word":
            shown = ", ".join(repr(word) for word in self._chars[:6])
            more = ", ..." if len(self._chars) > 6 else ""
            return f"Vocab([{shown}{more}], level='word', size={self.size})"
        return f"Vocab({''.join(self._chars)!r}, size={self.size})"

    def id_of(self, char: str) -> int:
        """Id of one token (a character, or a word for a word vocabulary).

        Raises:
            ValueError: if the token is not in the vocabulary.
        """
        try:
            return self._char_to_id[char]
        except KeyError:
            raise ValueError(
                f"unknown {self._unit} {char!r}; known {self._unit}s: {self._known()}"
            ) from None

    @property
    def _unit(self) -> str:
        return "character" if self._level == "char" else "word"

    def _known(self) -> str:
        if self._level == "char":
            return repr("".join(self._chars))
        shown = " ".join(self._chars[:12])
        return repr(shown) + (f" and {len(self._chars) - 12} more" if len(self._chars) > 12 else "")

    # ---------------------------------------------------------------- encoding
    def encode(self, text: str, *, length: int | None = None, add_end: bool = False) -> np.ndarray:
        """Encode one string.

        Args:
            text: The string to encode.
            length: Right-pad with PAD to this many ids; None means no padding.
            add_end: Append END after the last token (targets do, encoder inputs do not).

        Returns:
            int32 array of shape `(length,)`, or `(len(tokens) + add_end,)` when `length` is None.

        Raises:
            ValueError: if `text` is not a str.
            ValueError: for an unknown token (its position is reported, 1-based) or when the
                encoded string needs more than `length` ids.
        """
        ids = []
        for index, char in enumerate(self.split(text)):
            char_id = self._char_to_id.get(char)
            if char_id is None:
                raise ValueError(
                    f"unknown {self._unit} {char!r} at position {index + 1} (index {index}) "
                    f"in {text!r}; "
                    f"known {self._unit}s: {self._known()}"
                )
            ids.append(char_id)
        if add_end:
            ids.append(self.END_ID)
        if length is None:
            return np.asarray(ids, dtype=np.int32)
        _check_length(length)
        if len(ids) > length:
            end_note = " (including END)" if add_end else ""
            raise ValueError(f"{text!r} needs {len(ids)} ids{end_note} but length is {length}")
        encoded = np.full(length, self.PAD_ID, dtype=np.int32)
        encoded[: len(ids)] = ids
        return encoded

    def encode_batch(self, texts: Sequence[str], length: int, add_end: bool = False) -> np.ndarray:
        """Encode several strings into one right-padded matrix.

        Args:
            texts: The strings to encode (a list, not a single str).
            length: Number of ids per row.
            add_end: Append END after each string's last character.

        Returns:
            int32 array of shape `(len(texts), length)`.

        Raises:
            ValueError: for a single str instead of a list.
            ValueError: for an empty list, or any row `encode` rejects (the row number is reported).
        """
        if isinstance(texts, str):
            raise ValueError("texts must be a list of strings, not a single str; wrap it in a list")
        texts = list(texts)
        if not texts:
            raise ValueError("texts is empty; encode_batch needs at least one string")
        _check_length(length)
        encoded = np.empty((len(texts), length), dtype=np.int32)
        for row, text in enumerate(texts):
            try:
                encoded[row] = self.encode(text, length=length, add_end=add_end)
            except ValueError as error:
                raise ValueError(f"row {row}: {error}") from None
        return encoded

    # ---------------------------------------------------------------- decoding
    def decode(self, ids: Iterable[int] | np.ndarray) -> str:
        """Turn ids back into a string: stops at the first END, skips PAD and START.

        Args:
            ids: 1-D sequence of ids (e.g. one row of a prediction).

        Returns:
            The decoded string.

        Raises:
            ValueError: for an id outside `[0, size)` or input that is not 1-D.
        """
        chars = []
        for token_id in self._as_id_list(ids):
            if token_id == self.END_ID:
                break
            if token_id in (self.PAD_ID, self.START_ID):
                continue
            chars.append(self._id_to_token[token_id])
        return self.join(chars)

    def decode_batch(self, ids: np.ndarray | Sequence[Sequence[int]]) -> list[str]:
        """Decode every row of a 2-D id matrix.

        Args:
            ids: Array-like of shape `(batch_size, length)`.

        Returns:
            One string per row.
        """
        matrix = np.asarray(ids)
        if matrix.ndim != 2:
            raise ValueError(f"decode_batch expects a 2-D array of ids, got shape {matrix.shape}")
        return [self.decode(row) for row in matrix]

    def tokens(self, ids: Iterable[int] | np.ndarray, *, trim_padding: bool = False) -> list[str]:
        """One label per id, for heatmap axes; special ids are shown as their token strings.

        Args:
            ids: 1-D sequence of ids.
            trim_padding: Drop the trailing PAD ids.

        Returns:
            Labels such as `['1', '2', '+', '3', '</s>']`.
        """
        id_list = self._as_id_list(ids)
        if trim_padding:
            while id_list and id_list[-1] == self.PAD_ID:
                id_list.pop()
        return [self._id_to_token[token_id] for token_id in id_list]

    def _as_id_list(self, ids: Iterable[int] | np.ndarray) -> list[int]:
        array = np.asarray(ids)
        if array.ndim != 1:
            raise ValueError(f"expected a 1-D sequence of ids, got shape {array.shape}")
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"ids must be integers, got dtype {array.dtype}")
        id_list = [int(token_id) for token_id in array]
        bad = [token_id for token_id in id_list if not 0 <= token_id < self.size]
        if bad:
            raise ValueError(f"id {bad[0]} is outside this vocabulary's range [0, {self.size})")
        return id_list

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict[str, Any]:
        """JSON-able constructor arguments (used in cache keys)."""
        if self._level == "word":
            return {"words": list(self._chars), "level": "word"}
        return {"chars": "".join(self._chars)}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Vocab:
        """Rebuild a vocabulary from `get_config()` output."""
        if config.get("level") == "word":
            return cls(config["words"], level="word")
        return cls(config["chars"])


def decoder_input_ids(target_ids: Any) -> np.ndarray:
    """What a teacher-forced decoder reads to produce `target_ids`: START, then ``ids[:, :-1]``.

    Args:
        target_ids: int ids `(n, steps)`: targets (``Split.y``) or a decoder's own output.

    Returns:
        int32 array of the same shape.

    Raises:
        ValueError: if `target_ids` is not a 2-D integer array.
    """
    ids = np.asarray(target_ids)
    if ids.ndim != 2 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
        raise ValueError(
            f"target_ids must be a 2-D array of integer ids, got shape {ids.shape} and "
            f"dtype {ids.dtype}"
        )
    start = np.full((len(ids), 1), Vocab.START_ID, dtype=np.int32)
    return np.concatenate([start, ids[:, :-1].astype(np.int32)], axis=1)


def _check_length(length: object) -> None:
    if isinstance(length, bool) or not isinstance(length, int | np.integer):
        raise ValueError(f"length must be an int, got {type(length).__name__} {length!r}")
    if length < 0:
        raise ValueError(f"length must be non-negative, got {length}")
