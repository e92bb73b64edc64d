"""A small Transformer encoder-decoder with the calling convention of :mod:`attn_lib.models`.

Vaswani et al. (2017), post-norm, built from Keras layers: token embeddings plus learned
position embeddings, encoder layers of padding-masked self-attention and a feed-forward block,
decoder layers of causally masked self-attention, cross-attention over the encoder outputs and a
feed-forward block, each sub-block wrapped in a residual connection and ``LayerNormalization``.

``model((encoder_tokens, decoder_tokens))`` returns logits `(batch, output_length, vocab)` and
``call_with_attention`` also returns the cross-attention of the last decoder layer averaged over
its heads `(batch, output_length, input_length)`; :meth:`TransformerSeq2Seq.cross_attention`
returns every layer and head. Greedy decoding (:func:`attn_lib.greedy_decode`) runs the whole
decoder on a fixed-length buffer holding the prefix decoded so far (future positions are PAD and
hidden by the causal mask), so step ``t`` computes exactly what the teacher-forced call computes
at position ``t`` for the same prefix. Output lengths are a handful of tokens, so re-running the
decoder costs little and needs no key/value cache.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import layers, ops

from attn_lib.models import Seq2SeqModel
from attn_lib.validation import check_bool, check_positive_int, check_seq2seq_sizes
from attn_lib.vocab import Vocab

__all__ = ["TransformerSeq2Seq"]


@keras.saving.register_keras_serializable(package="attn_lib")
class TransformerSeq2Seq(keras.Model):
    """Transformer encoder-decoder for the book's character tasks (Vaswani et al. 2017).

    Args:
        source_vocab_size: number of input token ids (including PAD/START/END).
        target_vocab_size: number of output token ids.
        input_length: maximum encoder length ``Tx`` (size of the encoder position table).
        output_length: number of decoder steps ``Ty``.
        units: model width ``d_model`` (embeddings, attention outputs, residual stream).
        num_heads: attention heads per attention block; must divide ``units``.
        ff_units: hidden size of the feed-forward blocks (default ``2 * units``).
        num_layers: encoder layers and decoder layers (the same number of each).
        dropout: dropout rate in attention and after every sub-block (0 = none).
        norm_first: pre-norm (``x + f(norm(x))``, a final norm after the last layer) instead of
            the paper's post-norm (``norm(x + f(x))``); pre-norm trains more easily.
    """

    teacher_forcing = True
    has_attention = True
    check_inputs = Seq2SeqModel.check_inputs

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        input_length: int,
        output_length: int,
        units: int = 64,
        num_heads: int = 4,
        ff_units: int | None = None,
        num_layers: int = 1,
        dropout: float = 0.0,
        norm_first: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        (
            self.source_vocab_size,
            self.target_vocab_size,
            self.input_length,
            self.output_length,
        ) = check_seq2seq_sizes(source_vocab_size, target_vocab_size, input_length, output_length)
        self.units = check_positive_int("units", units)
        self.num_heads = check_positive_int("num_heads", num_heads)
        if units % num_heads:
            raise ValueError(f"num_heads ({num_heads}) must divide units ({units})")
        self.ff_units = check_positive_int("ff_units", ff_units or 2 * units)
        self.num_layers = check_positive_int("num_layers", num_layers)
        if (
            isinstance(dropout, bool)
            or not isinstance(dropout, (int, float))
            or not (0 <= dropout < 1)
        ):
            raise ValueError(f"dropout must be a number in [0, 1), got {dropout!r}")
        self.dropout = float(dropout)
        self.norm_first = check_bool("norm_first", norm_first)
        d, key_dim = self.units, self.units // self.num_heads

        def attention(name: str) -> layers.MultiHeadAttention:
            return layers.MultiHeadAttention(num_heads, key_dim, dropout=self.dropout, name=name)

        def feed_forward(name: str) -> keras.Sequential:
            return keras.Sequential(
                [layers.Dense(self.ff_units, activation="relu"), layers.Dense(d)], name=name
            )

        def norm(name: str) -> layers.LayerNormalization:
            return layers.LayerNormalization(epsilon=1e-6, name=name)

        self.source_embedding = layers.Embedding(source_vocab_size, d, name="source_embedding")
        self.source_position = layers.Embedding(input_length, d, name="source_position")
        self.target_embedding = layers.Embedding(target_vocab_size, d, name="target_embedding")
        self.target_position = layers.Embedding(output_length, d, name="target_position")
        self.drop = layers.Dropout(self.dropout, name="dropout")
        self.encoder_blocks = [
            {
                "self_attention": attention(f"encoder_{i}_self_attention"),
                "norm_1": norm(f"encoder_{i}_norm_1"),
                "feed_forward": feed_forward(f"encoder_{i}_feed_forward"),
                "norm_2": norm(f"encoder_{i}_norm_2"),
            }
            for i in range(num_layers)
        ]
        self.decoder_blocks = [
            {
                "self_attention": attention(f"decoder_{i}_self_attention"),
                "norm_1": norm(f"decoder_{i}_norm_1"),
                "cross_attention": attention(f"decoder_{i}_cross_attention"),
                "norm_2": norm(f"decoder_{i}_norm_2"),
                "feed_forward": feed_forward(f"decoder_{i}_feed_forward"),
                "norm_3": norm(f"decoder_{i}_norm_3"),
            }
            for i in range(num_layers)
        ]
        self.encoder_norm = norm("encoder_norm") if self.norm_first else None
        self.decoder_norm = norm("decoder_norm") if self.norm_first else None
        self.output_layer = layers.Dense(target_vocab_size, name="logits")
        self.build()

    def _residual(self, x: Any, sublayer: Any, norm: Any, training: bool) -> Any:
        """``norm(x + f(x))`` (post-norm) or ``x + f(norm(x))`` (pre-norm)."""
        if self.norm_first:
            return x + self.drop(sublayer(norm(x)), training=training)
        return norm(x + self.drop(sublayer(x), training=training))

    # ----------------------------------------------------------------- encoder
    def encode(self, encoder_tokens: Any, training: bool = False) -> tuple[Any, Any]:
        """Return the encoder outputs `(batch, Tx, units)` and the padding mask `(batch, Tx)`."""
        mask = ops.not_equal(encoder_tokens, 0)  # (B, Tx): False at PAD
        positions = ops.arange(ops.shape(encoder_tokens)[1])
        x = self.source_embedding(encoder_tokens) + self.source_position(positions)
        x = self.drop(x, training=training)  # (B, Tx, d)
        key_mask = ops.expand_dims(mask, 1)  # (B, 1, Tx): every query ignores PAD keys
        for block in self.encoder_blocks:

            def self_attention(h: Any, block: dict = block) -> Any:
                return block["self_attention"](h, h, attention_mask=key_mask, training=training)

            x = self._residual(x, self_attention, block["norm_1"], training)
            x = self._residual(x, block["feed_forward"], block["norm_2"], training)
        if self.encoder_norm is not None:
            x = self.encoder_norm(x)
        return x, mask

    # ----------------------------------------------------------------- decoder
    def decode(
        self, decoder_tokens: Any, encoder_outputs: Any, mask: Any, training: bool = False
    ) -> tuple[Any, list[Any]]:
        """Run the decoder on whole sequences.

        Returns:
            ``(logits, heads)``: logits `(batch, Ty, target_vocab_size)` and, per decoder layer,
            the cross-attention weights `(batch, num_heads, Ty, Tx)`.
        """
        positions = ops.arange(ops.shape(decoder_tokens)[1])
        y = self.target_embedding(decoder_tokens) + self.target_position(positions)
        y = self.drop(y, training=training)  # (B, Ty, d)
        key_mask = ops.expand_dims(mask, 1)  # (B, 1, Tx)
        heads = []
        for block in self.decoder_blocks:

            def self_attention(h: Any, block: dict = block) -> Any:
                return block["self_attention"](h, h, use_causal_mask=True, training=training)

            def cross_attention(h: Any, block: dict = block) -> Any:
                context, weights = block["cross_attention"](
                    h,
                    encoder_outputs,
                    attention_mask=key_mask,
                    return_attention_scores=True,
                    training=training,
                )  # context (B, Ty, d), weights (B, num_heads, Ty, Tx)
                heads.append(weights)
                return context

            y = self._residual(y, self_attention, block["norm_1"], training)
            y = self._residual(y, cross_attention, block["norm_2"], training)
            y = self._residual(y, block["feed_forward"], block["norm_3"], training)
        if self.decoder_norm is not None:
            y = self.decoder_norm(y)
        return self.output_layer(y), heads

    # ---------------------------------------------------------------- calling
    def call_with_attention(self, inputs: Any, training: bool = False) -> tuple[Any, Any]:
        """Return ``(logits, attention)``: the last layer's cross-attention, mean over heads."""
        encoder_tokens, decoder_tokens = self.check_inputs(inputs)
        encoder_outputs, mask = self.encode(encoder_tokens, training=training)
        logits, heads = self.decode(decoder_tokens, encoder_outputs, mask, training=training)
        return logits, ops.mean(heads[-1], axis=1)

    def call(self, inputs: Any, training: bool = False) -> Any:
        return self.call_with_attention(inputs, training=training)[0]

    def cross_attention(self, encoder_tokens: Any, decoder_tokens: Any) -> np.ndarray:
        """Every cross-attention head: `(batch, num_layers, num_heads, Ty, Tx)` as numpy.

        For the heads behind a greedy answer pass ``decoder_tokens`` = START followed by the
        greedy ids without the last one: the causal mask makes that call compute exactly the
        greedy steps.
        """
        encoder_tokens, decoder_tokens = self.check_inputs(
            (np.asarray(encoder_tokens, "int32"), np.asarray(decoder_tokens, "int32"))
        )
        encoder_outputs, mask = self.encode(encoder_tokens)
        _, heads = self.decode(decoder_tokens, encoder_outputs, mask)
        return np.stack([ops.convert_to_numpy(h) for h in heads], axis=1)

    # ----------------------------------------------------------- step by step
    def start_decoding(self, encoder_tokens: Any) -> dict[str, Any]:
        """Encode once; the state holds a PAD buffer of ``output_length`` decoder tokens."""
        encoder_outputs, mask = self.encode(encoder_tokens)
        batch = ops.shape(encoder_tokens)[0]
        buffer = ops.zeros((batch, self.output_length), dtype="int32")
        return {"encoder_outputs": encoder_outputs, "mask": mask, "tokens": buffer, "step": 0}

    def decode_step(
        self, previous_tokens: Any, state: dict[str, Any]
    ) -> tuple[Any, Any, dict[str, Any]]:
        """Write ``previous_tokens`` at the current position and re-run the decoder.

        Returns ``(logits (batch, vocab), attention (batch, Tx), state)`` for that position.
        """
        step = state["step"]  # a Python int, or a scalar tensor inside a decoding loop
        if isinstance(step, int) and step >= self.output_length:
            raise ValueError(f"the decoder has only {self.output_length} steps")
        column = ops.one_hot(step, self.output_length, dtype="int32")  # (Ty,)
        tokens = (
            state["tokens"] * (1 - column)
            + ops.expand_dims(ops.cast(previous_tokens, "int32"), 1) * column
        )  # (B, Ty): the prefix, PAD after it
        logits, heads = self.decode(tokens, state["encoder_outputs"], state["mask"])
        attention = ops.mean(ops.take(heads[-1], step, axis=2), axis=1)  # (B, Tx)
        return logits[:, step, :], attention, {**state, "tokens": tokens, "step": step + 1}

    def build(self, input_shape: Any = None) -> None:
        """Create every weight by running one dummy batch (used when loading ``.keras``)."""
        encoder_tokens = np.ones((1, self.input_length), dtype="int32")
        decoder_tokens = np.full((1, self.output_length), Vocab.START_ID, dtype="int32")
        self.call_with_attention((encoder_tokens, decoder_tokens))
        self.built = True

    def get_config(self) -> dict[str, Any]:
        return {
            "source_vocab_size": self.source_vocab_size,
            "target_vocab_size": self.target_vocab_size,
            "input_length": self.input_length,
            "output_length": self.output_length,
            "units": self.units,
            "num_heads": self.num_heads,
            "ff_units": self.ff_units,
            "num_layers": self.num_layers,
            "dropout": self.dropout,
            "norm_first": self.norm_first,
            "name": self.name,
        }
