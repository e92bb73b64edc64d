"""Attention layers used by the models in :mod:`attn_lib.models`.

Each layer follows the shape of Keras' own attention layers: ``build`` creates weights, ``call``
computes, ``get_config`` returns exactly the constructor arguments, and the attention weights are
handed back next to the output so that the book can plot them.
"""

from __future__ import annotations

from typing import Any

import keras
from keras import layers, ops

from attn_lib.validation import check_positive_int

SCORES = ("additive", "dot", "general")


@keras.saving.register_keras_serializable(package="attn_lib")
class LuongAttention(layers.Layer):
    """Luong-style attention over encoder outputs, all decoder steps at once.

    ``score="dot"`` scores a decoder state ``s`` against an encoder output ``h`` as ``s·h``;
    ``score="general"`` as ``s·(W h)`` with a learned square matrix ``W``. The heavy lifting is
    done by :class:`keras.layers.Attention`, which applies the padding mask before the softmax.

    Args:
        units: size of the decoder states (and of the keys after projection).
        score: ``"dot"`` or ``"general"``.

    Call args:
        query: decoder states, `(batch_size, Tq, units)`.
        value: encoder outputs, `(batch_size, Tv, units)`.
        value_mask: optional boolean mask `(batch_size, Tv)`; False marks padding.

    Returns:
        ``(context, weights)``: context `(batch_size, Tq, units)` and
        attention weights `(batch_size, Tq, Tv)` whose rows sum to 1 over real inputs.
    """

    def __init__(self, units: int, score: str = "dot", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if score not in ("dot", "general"):
            raise ValueError(f"LuongAttention score must be 'dot' or 'general', got {score!r}")
        self.units = check_positive_int("units", units)
        self.score = score
        self.key_projection = (
            layers.Dense(units, use_bias=False, name="key_projection")
            if score == "general"
            else None
        )
        self.attention = layers.Attention(score_mode="dot", name="dot_attention")

    def build(self, query_shape: tuple, value_shape: tuple | None = None) -> None:
        value_shape = value_shape or query_shape
        if value_shape[-1] != self.units or query_shape[-1] != self.units:
            raise ValueError(
                f"LuongAttention expects query and value feature size {self.units}, "
                f"got query {tuple(query_shape)} and value {tuple(value_shape)}"
            )
        if self.key_projection is not None:
            self.key_projection.build(value_shape)
        self.attention.build([query_shape, value_shape, value_shape])
        self.built = True

    def call(self, query: Any, value: Any, value_mask: Any = None) -> tuple[Any, Any]:
        key = self.key_projection(value) if self.key_projection is not None else value
        mask = None if value_mask is None else [None, value_mask]
        context, weights = self.attention(
            [query, value, key], mask=mask, return_attention_scores=True
        )
        return context, weights

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "units": self.units, "score": self.score}


@keras.saving.register_keras_serializable(package="attn_lib")
class BahdanauDecoder(layers.Layer):
    """An LSTM decoder with additive (Bahdanau) attention, stepped over a fixed number of steps.

    Keras 3's ``keras.layers.RNN`` cannot hand constants (the encoder outputs) to its cell, so this
    layer steps ``num_layers`` stacked :class:`keras.layers.LSTMCell` s itself. At step ``t`` the
    previous top-layer state ``s_{t-1}`` scores every encoder output ``h_j`` as
    ``v·tanh(W s_{t-1} + U h_j)`` (:class:`keras.layers.AdditiveAttention`), the softmax of those
    scores weights the context ``c_t = Σ_j α_tj h_j``, and ``[y_{t-1}; c_t]`` is fed to the LSTM.
    The number of output steps is small and fixed, so the Python loop is unrolled once when traced.

    Args:
        units: LSTM size (must equal the encoder output size).
        attention_units: size of the hidden layer of the score function.
        num_layers: number of stacked decoder LSTM cells.

    Call args:
        decoder_inputs: embedded teacher-forcing inputs, `(batch_size, Ty, embedding_dim)`.
        encoder_outputs: `(batch_size, Tx, units)`.
        initial_states: list of ``[h, c]`` pairs, one per layer, each `(batch_size, units)`.
        encoder_mask: optional boolean `(batch_size, Tx)`; False marks padding.

    Returns:
        ``(outputs, weights)``: ``outputs`` `(batch_size, Ty, 2 * units)` — the top state and the
        context concatenated — and attention weights `(batch_size, Ty, Tx)`.
    """

    def __init__(
        self, units: int, attention_units: int | None = None, num_layers: int = 1, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.units = check_positive_int("units", units)
        self.attention_units = check_positive_int("attention_units", attention_units or units)
        self.num_layers = check_positive_int("num_layers", num_layers)
        self.query_projection = layers.Dense(
            self.attention_units, use_bias=False, name="query_projection"
        )
        self.key_projection = layers.Dense(self.attention_units, name="key_projection")
        self.attention = layers.AdditiveAttention(use_scale=True, name="additive_attention")
        self.cells = [layers.LSTMCell(units, name=f"lstm_cell_{i}") for i in range(num_layers)]

    def build(
        self,
        decoder_inputs_shape: tuple,
        encoder_outputs_shape: tuple | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if encoder_outputs_shape is None or encoder_outputs_shape[-1] != self.units:
            raise ValueError(
                f"BahdanauDecoder expects encoder outputs with {self.units} features, "
                f"got {encoder_outputs_shape}"
            )
        batch = decoder_inputs_shape[0]
        self.query_projection.build((batch, self.units))
        self.key_projection.build(encoder_outputs_shape)
        att_shape = (batch, encoder_outputs_shape[1], self.attention_units)
        self.attention.build([(batch, 1, self.attention_units), encoder_outputs_shape, att_shape])
        input_size = decoder_inputs_shape[-1] + self.units
        for cell in self.cells:
            cell.build((batch, input_size))
            input_size = self.units
        self.built = True

    def step(
        self,
        step_input: Any,
        encoder_outputs: Any,
        keys: Any,
        states: list[list[Any]],
        encoder_mask: Any = None,
    ) -> tuple[Any, Any, list[list[Any]]]:
        """One decoder step: attend with the previous top state, then advance the LSTM cells.

        Args:
            step_input: the embedded previous token `(batch_size, embedding_dim)`.
            encoder_outputs: `(batch_size, Tx, units)`.
            keys: ``U h_j`` for every encoder output, `(batch_size, Tx, attention_units)`
                (``self.key_projection(encoder_outputs)``, computed once per sequence).
            states: one ``[h, c]`` pair per layer, each `(batch_size, units)`.
            encoder_mask: optional boolean `(batch_size, Tx)`; False marks padding.

        Returns:
            ``(output, weights, states)``: the top state and the context concatenated
            `(batch_size, 2 * units)`, the attention weights `(batch_size, Tx)` and the new states.
        """
        mask = None if encoder_mask is None else [None, encoder_mask]
        query = ops.expand_dims(self.query_projection(states[-1][0]), 1)  # W s_{t-1}: (B, 1, da)
        context, alpha = self.attention(
            [query, encoder_outputs, keys], mask=mask, return_attention_scores=True
        )
        context = context[:, 0, :]  # c_t = Σ_j α_tj h_j: (B, units)
        cell_input = ops.concatenate([step_input, context], axis=-1)  # [y_{t-1}; c_t]
        new_states = []
        for cell, state in zip(self.cells, states, strict=True):
            cell_input, state = cell(cell_input, state)
            new_states.append(list(state))
        return ops.concatenate([cell_input, context], axis=-1), alpha[:, 0, :], new_states

    def call(
        self,
        decoder_inputs: Any,
        encoder_outputs: Any,
        initial_states: list[list[Any]],
        encoder_mask: Any = None,
    ) -> tuple[Any, Any]:
        if len(initial_states) != self.num_layers:
            raise ValueError(
                f"BahdanauDecoder has {self.num_layers} layers but got "
                f"{len(initial_states)} initial states"
            )
        keys = self.key_projection(encoder_outputs)  # U h_j, once for all steps
        states = [list(pair) for pair in initial_states]
        outputs, weights = [], []
        for t in range(decoder_inputs.shape[1]):
            output, alpha, states = self.step(
                decoder_inputs[:, t, :], encoder_outputs, keys, states, encoder_mask
            )
            outputs.append(output)
            weights.append(alpha)
        return ops.stack(outputs, axis=1), ops.stack(weights, axis=1)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "attention_units": self.attention_units,
            "num_layers": self.num_layers,
        }


@keras.saving.register_keras_serializable(package="attn_lib")
class TemporalAttention(layers.Layer):
    """Softmax attention over time steps, one distribution per feature (or one shared).

    For inputs ``x`` of shape `(batch_size, T, D)`, a dense layer maps each feature's time series
    to ``T`` scores, and a softmax over time turns them into weights ``a`` of shape
    `(batch_size, T, D)` (each column sums to 1 over time). With ``single_attention_vector=True``
    the weights are averaged over features and shared by all of them. The output is ``x * a``.

    Args:
        time_steps: ``T``; the dense layer maps a length-``T`` series to ``T`` scores.
        single_attention_vector: share one distribution over time across all features.

    Returns:
        ``(weighted_inputs, weights)``, both `(batch_size, T, D)`.
    """

    def __init__(self, time_steps: int, single_attention_vector: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.time_steps = check_positive_int("time_steps", time_steps)
        self.single_attention_vector = bool(single_attention_vector)
        self.score = layers.Dense(time_steps, name="time_scores")

    def build(self, input_shape: tuple) -> None:
        if len(input_shape) != 3 or input_shape[1] != self.time_steps:
            raise ValueError(
                f"TemporalAttention expects inputs (batch, {self.time_steps}, features), "
                f"got {tuple(input_shape)}"
            )
        self.score.build((input_shape[0], input_shape[2], self.time_steps))
        self.built = True

    def call(self, inputs: Any) -> tuple[Any, Any]:
        per_feature = ops.transpose(inputs, (0, 2, 1))  # (batch, D, T)
        weights = ops.softmax(self.score(per_feature), axis=-1)
        if self.single_attention_vector:
            weights = ops.mean(weights, axis=1, keepdims=True)
            weights = ops.repeat(weights, ops.shape(inputs)[2], axis=1)
        weights = ops.transpose(weights, (0, 2, 1))  # back to (batch, T, D)
        return inputs * weights, weights

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "time_steps": self.time_steps,
            "single_attention_vector": self.single_attention_vector,
        }
