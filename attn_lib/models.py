"""Sequence-to-sequence models and attention classifiers for the book.

Every seq2seq model is a :class:`keras.Model` with one constructor style and one calling
convention: ``model((encoder_tokens, decoder_tokens))`` returns logits
`(batch_size, output_length, target_vocab_size)`; ``model.call_with_attention(...)`` also returns
the attention weights `(batch_size, output_length, input_length)` (``None`` for models without
attention). Token id 0 is padding and is masked in the encoder and in every attention softmax.
``get_config`` returns exactly the constructor arguments, so ``.keras`` save/load needs nothing
at the call site.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import layers, ops

from attn_lib.layers import SCORES, BahdanauDecoder, LuongAttention, TemporalAttention
from attn_lib.validation import check_positive_int, check_seq2seq_sizes

__all__ = [
    "AttentionDense",
    "AttentionLSTM",
    "AttentionSeq2Seq",
    "Seq2Seq",
    "Seq2SeqModel",
    "SimpleSeq2Seq",
]


class Seq2SeqModel(keras.Model):
    """Shared constructor, input checks, encoder and saving logic of the seq2seq models.

    Args:
        source_vocab_size: number of input token ids (including PAD/START/END).
        target_vocab_size: number of output token ids.
        input_length: maximum encoder length ``Tx``.
        output_length: number of decoder steps ``Ty`` (target characters + END).
        units: LSTM size of encoder and decoder.
        embedding_dim: size of the token embeddings.
        num_layers: stacked LSTM layers in the encoder and in the decoder.
        bidirectional: use a bidirectional encoder (``units // 2`` per direction).
    """

    teacher_forcing = True
    has_attention = False

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        input_length: int,
        output_length: int,
        units: int = 128,
        embedding_dim: int = 32,
        num_layers: int = 1,
        bidirectional: bool = False,
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
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        self.num_layers = check_positive_int("num_layers", num_layers)
        self.bidirectional = bool(bidirectional)
        if self.bidirectional and units % 2:
            raise ValueError(f"a bidirectional encoder needs an even number of units, got {units}")
        self.source_embedding = layers.Embedding(
            source_vocab_size, embedding_dim, mask_zero=True, name="source_embedding"
        )
        self.encoder_layers = [self._encoder_layer(i) for i in range(num_layers)]

    def _encoder_layer(self, index: int) -> layers.Layer:
        if not self.bidirectional:
            return layers.LSTM(
                self.units, return_sequences=True, return_state=True, name=f"encoder_{index}"
            )
        half = layers.LSTM(self.units // 2, return_sequences=True, return_state=True)
        return layers.Bidirectional(half, name=f"encoder_{index}")

    # ----------------------------------------------------------------- encoder
    def encode(self, encoder_tokens: Any) -> tuple[Any, list[list[Any]], Any]:
        """Run the encoder.

        Returns:
            ``(outputs, states, mask)``: top-layer outputs `(batch, Tx, units)`, one ``[h, c]``
            pair per layer (each `(batch, units)`), and the boolean padding mask `(batch, Tx)`.
        """
        mask = ops.not_equal(encoder_tokens, 0)
        sequence = self.source_embedding(encoder_tokens)
        states = []
        for layer in self.encoder_layers:
            if self.bidirectional:
                sequence, h_f, c_f, h_b, c_b = layer(sequence, mask=mask)
                h = ops.concatenate([h_f, h_b], axis=-1)
                c = ops.concatenate([c_f, c_b], axis=-1)
            else:
                sequence, h, c = layer(sequence, mask=mask)
            states.append([h, c])
        return sequence, states, mask

    # ---------------------------------------------------------------- calling
    def check_inputs(self, inputs: Any) -> tuple[Any, Any]:
        """Split ``(encoder_tokens, decoder_tokens)`` and validate their shapes."""
        if not isinstance(inputs, (tuple, list)) or len(inputs) != 2:
            raise ValueError(
                f"{type(self).__name__} expects inputs (encoder_tokens, decoder_tokens), "
                f"got {type(inputs).__name__}"
            )
        encoder_tokens, decoder_tokens = inputs
        enc_shape, dec_shape = tuple(encoder_tokens.shape), tuple(decoder_tokens.shape)
        if len(enc_shape) != 2 or (enc_shape[1] is not None and enc_shape[1] > self.input_length):
            raise ValueError(
                f"encoder tokens must have shape (batch, <= {self.input_length}), got {enc_shape}"
            )
        if len(dec_shape) != 2 or dec_shape[1] not in (None, self.output_length):
            raise ValueError(
                f"decoder tokens must have shape (batch, {self.output_length}), got {dec_shape}"
            )
        return encoder_tokens, decoder_tokens

    def call(self, inputs: Any, training: bool = False) -> Any:
        return self.call_with_attention(inputs, training=training)[0]

    def call_with_attention(self, inputs: Any, training: bool = False) -> tuple[Any, Any]:
        """Return ``(logits, attention)``; attention is ``None`` for models without it."""
        raise NotImplementedError

    # ----------------------------------------------------------- step by step
    def start_decoding(self, encoder_tokens: Any) -> dict[str, Any]:
        """Encode once and return the decoder's starting state for :meth:`decode_step`."""
        raise NotImplementedError

    def decode_step(
        self, previous_tokens: Any, state: dict[str, Any]
    ) -> tuple[Any, Any, dict[str, Any]]:
        """Advance the decoder by one token, carrying its LSTM state.

        Args:
            previous_tokens: the token fed at this step `(batch_size,)` (START at the first step).
            state: what :meth:`start_decoding` or the previous call returned.

        Returns:
            ``(logits, attention, state)``: logits `(batch_size, target_vocab_size)`, the attention
            row `(batch_size, input_length)` (``None`` without attention) and the next state.
            Running it ``output_length`` times on the teacher-forcing tokens gives exactly the
            rows of ``call_with_attention``; greedy decoding feeds back the argmax instead.
        """
        raise NotImplementedError

    def _step_cells(self, cell_input: Any, states: list[list[Any]]) -> tuple[Any, list[list[Any]]]:
        """Run one time step through the stacked decoder LSTMs (their cells share the weights)."""
        new_states = []
        for layer, state in zip(self.decoder_layers, states, strict=True):
            cell_input, state = layer.cell(cell_input, state)
            new_states.append(list(state))
        return cell_input, new_states

    def build(self, input_shape: Any = None) -> None:
        """Create every weight by running one dummy batch (used when loading ``.keras``)."""
        encoder_tokens = np.ones((1, self.input_length), dtype="int32")
        decoder_tokens = np.ones((1, self.output_length), dtype="int32")
        self.call_with_attention((encoder_tokens, decoder_tokens))
        self.built = True

    def get_config(self) -> dict[str, Any]:
        return {
            "source_vocab_size": self.source_vocab_size,
            "target_vocab_size": self.target_vocab_size,
            "input_length": self.input_length,
            "output_length": self.output_length,
            "units": self.units,
            "embedding_dim": self.embedding_dim,
            "num_layers": self.num_layers,
            "bidirectional": self.bidirectional,
            "name": self.name,
        }


@keras.saving.register_keras_serializable(package="attn_lib")
class SimpleSeq2Seq(Seq2SeqModel):
    """The plain encoder-decoder of keras-io's addition example: no teacher forcing.

    The encoder's final hidden vector is copied to every decoder step (``RepeatVector``); the
    decoder never sees its own previous outputs. Decoder tokens are accepted for a uniform calling
    convention and ignored. This is the fixed-length bottleneck in its purest form.
    """

    teacher_forcing = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.repeat = layers.RepeatVector(self.output_length, name="repeat_summary")
        self.decoder_layers = [
            layers.LSTM(self.units, return_sequences=True, name=f"decoder_{i}")
            for i in range(self.num_layers)
        ]
        self.output_layer = layers.Dense(self.target_vocab_size, name="logits")
        self.build()

    def call_with_attention(self, inputs: Any, training: bool = False) -> tuple[Any, None]:
        encoder_tokens, _ = self.check_inputs(inputs)
        _, states, _ = self.encode(encoder_tokens)
        sequence = self.repeat(states[-1][0])
        for layer in self.decoder_layers:
            sequence = layer(sequence)
        return self.output_layer(sequence), None

    def start_decoding(self, encoder_tokens: Any) -> dict[str, Any]:
        _, states, _ = self.encode(encoder_tokens)
        summary = states[-1][0]
        zeros = ops.zeros_like(summary)
        return {"summary": summary, "states": [[zeros, zeros] for _ in self.decoder_layers]}

    def decode_step(
        self, previous_tokens: Any, state: dict[str, Any]
    ) -> tuple[Any, None, dict[str, Any]]:
        # The previous token is ignored: every step reads the same summary vector.
        output, states = self._step_cells(state["summary"], state["states"])
        return self.output_layer(output), None, {**state, "states": states}


@keras.saving.register_keras_serializable(package="attn_lib")
class Seq2Seq(Seq2SeqModel):
    """Encoder-decoder that hands the encoder state to a teacher-forced decoder.

    Layer ``i`` of the decoder starts from the final ``[h, c]`` of encoder layer ``i``
    (Sutskever et al. 2014). With ``peek=True`` the encoder's final hidden vector (the context) is
    also concatenated to the decoder input at every step, as in Cho et al. (2014), so the decoder
    can "peek" at the summary instead of carrying it through its own state.

    Args:
        peek: feed the context vector at every decoder step.
        (other arguments: see :class:`Seq2SeqModel`.)
    """

    def __init__(self, *args: Any, peek: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.peek = bool(peek)
        self.target_embedding = layers.Embedding(
            self.target_vocab_size, self.embedding_dim, name="target_embedding"
        )
        self.repeat = layers.RepeatVector(self.output_length, name="repeat_context")
        self.decoder_layers = [
            layers.LSTM(self.units, return_sequences=True, name=f"decoder_{i}")
            for i in range(self.num_layers)
        ]
        self.output_layer = layers.Dense(self.target_vocab_size, name="logits")
        self.build()

    def call_with_attention(self, inputs: Any, training: bool = False) -> tuple[Any, None]:
        encoder_tokens, decoder_tokens = self.check_inputs(inputs)
        _, states, _ = self.encode(encoder_tokens)
        sequence = self.target_embedding(decoder_tokens)
        if self.peek:
            context = self.repeat(states[-1][0])
            sequence = ops.concatenate([sequence, context], axis=-1)
        for layer, state in zip(self.decoder_layers, states, strict=True):
            sequence = layer(sequence, initial_state=state)
        return self.output_layer(sequence), None

    def start_decoding(self, encoder_tokens: Any) -> dict[str, Any]:
        _, states, _ = self.encode(encoder_tokens)
        return {"states": states, "context": states[-1][0]}

    def decode_step(
        self, previous_tokens: Any, state: dict[str, Any]
    ) -> tuple[Any, None, dict[str, Any]]:
        step_input = self.target_embedding(previous_tokens)  # (B, embedding_dim)
        if self.peek:
            step_input = ops.concatenate([step_input, state["context"]], axis=-1)
        output, states = self._step_cells(step_input, state["states"])
        return self.output_layer(output), None, {**state, "states": states}

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "peek": self.peek}


@keras.saving.register_keras_serializable(package="attn_lib")
class AttentionSeq2Seq(Seq2SeqModel):
    """Encoder-decoder whose decoder looks back at every encoder output through attention.

    ``score="additive"`` is Bahdanau et al. (2015): the previous decoder state scores the encoder
    outputs, and the resulting context enters the LSTM step (:class:`BahdanauDecoder`).
    ``score="dot"`` and ``"general"`` are Luong et al. (2015): the decoder LSTM runs first (so a
    teacher-forced batch is one vectorised pass), then each decoder state attends over the encoder
    outputs and ``tanh(W_c [c_t; s_t])`` feeds the output layer.

    Args:
        score: ``"additive"``, ``"dot"`` or ``"general"``.
        attention_units: hidden size of the additive score (default ``units``).
        (other arguments: see :class:`Seq2SeqModel`.)
    """

    has_attention = True

    def __init__(
        self,
        *args: Any,
        score: str = "additive",
        attention_units: int | None = None,
        **kwargs: Any,
    ) -> None:
        if score not in SCORES:
            raise ValueError(f"unknown attention score {score!r}; choose one of {SCORES}")
        super().__init__(*args, **kwargs)
        self.score = score
        self.attention_units = check_positive_int("attention_units", attention_units or self.units)
        self.target_embedding = layers.Embedding(
            self.target_vocab_size, self.embedding_dim, name="target_embedding"
        )
        if score == "additive":
            self.decoder = BahdanauDecoder(
                self.units, self.attention_units, self.num_layers, name="bahdanau_decoder"
            )
        else:
            self.decoder_layers = [
                layers.LSTM(self.units, return_sequences=True, name=f"decoder_{i}")
                for i in range(self.num_layers)
            ]
            self.attention = LuongAttention(self.units, score, name="luong_attention")
            self.combine = layers.Dense(self.units, activation="tanh", name="attentional_state")
        self.output_layer = layers.Dense(self.target_vocab_size, name="logits")
        self.build()

    def call_with_attention(self, inputs: Any, training: bool = False) -> tuple[Any, Any]:
        encoder_tokens, decoder_tokens = self.check_inputs(inputs)
        encoder_outputs, states, mask = self.encode(encoder_tokens)
        sequence = self.target_embedding(decoder_tokens)
        if self.score == "additive":
            features, weights = self.decoder(sequence, encoder_outputs, states, mask)
        else:
            for layer, state in zip(self.decoder_layers, states, strict=True):
                sequence = layer(sequence, initial_state=state)
            context, weights = self.attention(sequence, encoder_outputs, mask)
            features = self.combine(ops.concatenate([context, sequence], axis=-1))
        return self.output_layer(features), weights

    def start_decoding(self, encoder_tokens: Any) -> dict[str, Any]:
        encoder_outputs, states, mask = self.encode(encoder_tokens)
        state = {"states": states, "encoder_outputs": encoder_outputs, "mask": mask}
        if self.score == "additive":  # U h_j does not change during decoding: compute it once
            state["keys"] = self.decoder.key_projection(encoder_outputs)
        return state

    def decode_step(
        self, previous_tokens: Any, state: dict[str, Any]
    ) -> tuple[Any, Any, dict[str, Any]]:
        step_input = self.target_embedding(previous_tokens)  # (B, embedding_dim)
        encoder_outputs, mask = state["encoder_outputs"], state["mask"]
        if self.score == "additive":
            features, weights, states = self.decoder.step(
                step_input, encoder_outputs, state["keys"], state["states"], mask
            )
        else:
            query, states = self._step_cells(step_input, state["states"])  # s_t: (B, units)
            context, weights = self.attention(ops.expand_dims(query, 1), encoder_outputs, mask)
            weights = weights[:, 0, :]  # (B, Tx)
            features = self.combine(ops.concatenate([context[:, 0, :], query], axis=-1))
        return self.output_layer(features), weights, {**state, "states": states}

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "score": self.score,
            "attention_units": self.attention_units,
        }


@keras.saving.register_keras_serializable(package="attn_lib")
class AttentionLSTM(keras.Model):
    """Binary classifier with a softmax attention block before or after an LSTM.

    ``position="before"``: attention re-weights the raw inputs over time, then an LSTM reads them.
    ``position="after"``: the LSTM reads the inputs, attention re-weights its output sequence,
    which is flattened into a sigmoid unit. The weights come back from :meth:`attention_weights`.

    Args:
        time_steps: ``T``.
        features: ``D`` (input features per step).
        units: LSTM size.
        position: ``"before"`` or ``"after"``.
        single_attention_vector: share one distribution over time across all features.

    Returns:
        ``model(x)`` gives probabilities `(batch_size, 1)` for ``x`` `(batch_size, T, D)`.
    """

    def __init__(
        self,
        time_steps: int,
        features: int,
        units: int = 32,
        position: str = "after",
        single_attention_vector: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if position not in ("before", "after"):
            raise ValueError(f"position must be 'before' or 'after', got {position!r}")
        self.time_steps = check_positive_int("time_steps", time_steps)
        self.features = check_positive_int("features", features)
        self.units = check_positive_int("units", units)
        self.position = position
        self.single_attention_vector = bool(single_attention_vector)
        self.attention = TemporalAttention(
            time_steps, single_attention_vector, name="temporal_attention"
        )
        self.lstm = layers.LSTM(units, return_sequences=position == "after", name="lstm")
        self.flatten = layers.Flatten(name="flatten")
        self.classifier = layers.Dense(1, activation="sigmoid", name="probability")
        self.build()

    def _check(self, x: Any) -> None:
        shape = tuple(x.shape)
        if len(shape) != 3 or shape[1] != self.time_steps or shape[2] != self.features:
            raise ValueError(
                f"AttentionLSTM expects inputs (batch, {self.time_steps}, {self.features}), "
                f"got {shape}"
            )

    def call_with_attention(self, x: Any, training: bool = False) -> tuple[Any, Any]:
        """Return ``(probabilities (batch, 1), weights (batch, T, D or units))``."""
        self._check(x)
        if self.position == "before":
            weighted, weights = self.attention(x)
            return self.classifier(self.lstm(weighted)), weights
        weighted, weights = self.attention(self.lstm(x))
        return self.classifier(self.flatten(weighted)), weights

    def call(self, x: Any, training: bool = False) -> Any:
        return self.call_with_attention(x, training=training)[0]

    def attention_weights(self, x: Any, batch_size: int = 1024) -> np.ndarray:
        """Attention weights for ``x`` as numpy, `(n, T, D)` before or `(n, T, units)` after."""
        x = np.asarray(x, dtype="float32")
        self._check(x)
        parts = [
            ops.convert_to_numpy(self.call_with_attention(x[i : i + batch_size])[1])
            for i in range(0, len(x), batch_size)
        ]
        return np.concatenate(parts, axis=0)

    def build(self, input_shape: Any = None) -> None:
        self.call_with_attention(np.zeros((1, self.time_steps, self.features), "float32"))
        self.built = True

    def get_config(self) -> dict[str, Any]:
        return {
            "time_steps": self.time_steps,
            "features": self.features,
            "units": self.units,
            "position": self.position,
            "single_attention_vector": self.single_attention_vector,
            "name": self.name,
        }


@keras.saving.register_keras_serializable(package="attn_lib")
class AttentionDense(keras.Model):
    """Feature-selection attention on flat inputs: ``softmax(W x) * x`` into a small MLP.

    Args:
        features: ``D``.
        hidden_units: size of the hidden dense layer.

    Returns:
        ``model(x)`` gives probabilities `(batch_size, 1)` for ``x`` `(batch_size, D)`.
    """

    def __init__(self, features: int, hidden_units: int = 64, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.features = check_positive_int("features", features)
        self.hidden_units = check_positive_int("hidden_units", hidden_units)
        self.score = layers.Dense(features, activation="softmax", name="feature_attention")
        self.hidden = layers.Dense(hidden_units, activation="relu", name="hidden")
        self.classifier = layers.Dense(1, activation="sigmoid", name="probability")
        self.build()

    def _check(self, x: Any) -> None:
        shape = tuple(x.shape)
        if len(shape) != 2 or shape[1] != self.features:
            raise ValueError(f"AttentionDense expects inputs (batch, {self.features}), got {shape}")

    def call_with_attention(self, x: Any, training: bool = False) -> tuple[Any, Any]:
        """Return ``(probabilities (batch, 1), weights (batch, D))``."""
        self._check(x)
        weights = self.score(x)
        return self.classifier(self.hidden(x * weights)), weights

    def call(self, x: Any, training: bool = False) -> Any:
        return self.call_with_attention(x, training=training)[0]

    def attention_weights(self, x: Any) -> np.ndarray:
        """Attention weights for ``x`` as numpy, `(n, D)`."""
        x = np.asarray(x, dtype="float32")
        self._check(x)
        return ops.convert_to_numpy(self.call_with_attention(x)[1])

    def build(self, input_shape: Any = None) -> None:
        self.call_with_attention(np.zeros((1, self.features), "float32"))
        self.built = True

    def get_config(self) -> dict[str, Any]:
        return {"features": self.features, "hidden_units": self.hidden_units, "name": self.name}
