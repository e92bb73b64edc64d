/*
 * seq2seq_runtime.js — runs an attn_lib AttentionSeq2Seq (exported by attn_lib.export) in the
 * browser or in node. Plain ES2017, no dependencies, about one millisecond per answer.
 *
 * It reproduces attn_lib.decoding.greedy_decode on the Keras model: the same tokens and the same
 * attention rows (tests/test_webmodel_exactness.py checks this on hundreds of inputs). Weights
 * arrive as float16 and are widened to float32 once; the arithmetic is done in float64.
 *
 * Notation: a Keras kernel W of a layer with n inputs and m outputs is an (n, m) row-major
 * matrix, so a layer computes  y = x W + b  for a row vector x.
 *
 * LSTM step (Keras gate order i, f, c, o along the 4u axis of kernel, recurrent_kernel, bias;
 * recurrent activation sigmoid σ, activation tanh):
 *     z   = x_t W + h_{t-1} U + b                        (1 × 4u)
 *     i   = σ(z[0:u])     f = σ(z[u:2u])     g = tanh(z[2u:3u])     o = σ(z[3u:4u])
 *     c_t = f ⊙ c_{t-1} + i ⊙ g
 *     h_t = o ⊙ tanh(c_t)
 *
 * Encoder (Keras Embedding(mask_zero=True) + LSTM / Bidirectional(LSTM), stacked):
 *     the padding after the last real character is masked: a masked step keeps the state and is
 *     never attended to (its attention weight is exactly 0, see below), so only the real steps
 *     1..S are computed. Forward: h^→_t from x_1..x_t. Backward: h^←_t from x_S..x_t, i.e. the
 *     backward LSTM starts at the last real character, not at the padding. Bidirectional outputs
 *     and final states are [h^→; h^←] and [c^→; c^←] (merge_mode="concat"). Layer l's final
 *     (h, c) starts decoder layer l.
 *
 * Attention over encoder outputs H = (h_1..h_S), decoder state s, masked softmax:
 *     additive (Bahdanau; keras AdditiveAttention, use_scale=True):
 *         q = s_{t-1} W_q          K_j = h_j W_k + b_k
 *         e_tj = Σ_k v_k tanh(q_k + K_jk)          (v = the layer's "scale" vector)
 *     dot (Luong):      e_tj = s_t · h_j
 *     general (Luong):  e_tj = s_t · (h_j W_a)
 *     Keras subtracts 1e9 from the scores of padded positions before the softmax, so their
 *     weights underflow to exactly 0 in float32 as in float64; they are left out here.
 *     α_t = softmax(e_t)           c_t = Σ_j α_tj h_j
 *
 * Decoder step t (y_{t-1} = START for t = 1, then the previous greedy token; no masking):
 *     additive: c_t from s_{t-1} (top layer's previous h); x = [E y_{t-1}; c_t] goes through the
 *               stacked LSTM cells; features = [s_t; c_t]
 *     dot / general: x = E y_{t-1} goes through the stacked LSTMs first; then c_t from s_t;
 *               features = tanh([c_t; s_t] W_c + b_c)
 *     logits = features W_o + b_o;   y_t = argmax(logits) (the first maximum, like numpy)
 * All output_length steps are run, also after END, exactly like greedy_decode.
 *
 * API (global AttnSeq2Seq in a page, module.exports in node):
 *     AttnSeq2Seq.load({manifest, weights})  -> model        (throws Error on a bad file)
 *     AttnSeq2Seq.fromRegistry(key)          -> model        (a model file loaded by <script>)
 *     model.encode(text)    -> {ok: true, ids, ...} | {ok: false, error}
 *     model.translate(text) -> {ok: true, text, outputIds, attention, ...} | {ok: false, error}
 *     error = {code, message (Korean), ...details}; translate never throws.
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.AttnSeq2Seq = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  const FORMAT = "attn_lib.seq2seq";
  const FORMAT_VERSION = 1;
  const REGISTRY = "AttnSeq2SeqModels";
  const PAD_ID = 0;
  const START_ID = 1;
  const END_ID = 2;

  // ------------------------------------------------------------------------ weight decoding
  function base64ToBytes(text) {
    if (typeof atob === "function") {
      const binary = atob(text);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return bytes;
    }
    return new Uint8Array(Buffer.from(text, "base64")); // node without atob
  }

  /** IEEE 754 half (binary16) bits -> number; every half value is exact in float32. */
  function halfToNumber(bits) {
    const out = new Float32Array(1);
    widenHalves([bits], out, 0, 1);
    return out[0];
  }

  /** float16 bits -> float32 values, written as bit patterns into `out` (a Float32Array). */
  function widenHalves(halves, out, start, count) {
    const bitsOut = new Uint32Array(out.buffer, out.byteOffset, out.length);
    for (let k = 0; k < count; k++) {
      const bits = halves[start + k];
      const exponent = (bits >> 10) & 0x1f;
      const fraction = bits & 0x3ff;
      if (exponent !== 0 && exponent !== 31) {
        // Normal: same sign, exponent re-biased (15 -> 127), fraction widened (10 -> 23 bits).
        bitsOut[k] = ((bits & 0x8000) << 16) | ((exponent + 112) << 23) | (fraction << 13);
      } else {
        const sign = bits & 0x8000 ? -1 : 1;
        out[k] =
          exponent === 0
            ? sign * fraction * Math.pow(2, -24) // zero and subnormals
            : fraction
              ? NaN
              : sign * Infinity;
      }
    }
  }

  function decodeTensors(manifest, bytes) {
    // The file is little-endian; read it as 16-bit words (byte by byte on a big-endian host).
    let halves;
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 && bytes.byteOffset % 2 === 0) {
      halves = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    } else {
      halves = new Uint16Array(bytes.length / 2);
      for (let k = 0; k < halves.length; k++) halves[k] = bytes[2 * k] | (bytes[2 * k + 1] << 8);
    }
    const tensors = {};
    for (const entry of manifest.weights.tensors) {
      const count = entry.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(count);
      widenHalves(halves, data, entry.offset, count);
      tensors[entry.name] = { shape: entry.shape, data: data };
    }
    return tensors;
  }

  // --------------------------------------------------------------------------- linear algebra
  /** out = x W (+ b): x has n entries, W is (n, m) row-major. */
  function affine(x, weight, bias) {
    const n = weight.shape[0];
    const m = weight.shape[1];
    const w = weight.data;
    const out = new Float64Array(m);
    if (bias) for (let j = 0; j < m; j++) out[j] = bias.data[j];
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const row = i * m;
      for (let j = 0; j < m; j++) out[j] += xi * w[row + j];
    }
    return out;
  }

  function concat(a, b) {
    const out = new Float64Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  function embeddingRow(table, id) {
    const width = table.shape[1];
    return Float64Array.from(table.data.subarray(id * width, (id + 1) * width));
  }

  function sigmoid(v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** Softmax over the first `length` scores (the rest are padding and get exactly 0). */
  function maskedSoftmax(scores, length) {
    const weights = new Float64Array(scores.length);
    let peak = -Infinity;
    for (let j = 0; j < length; j++) peak = Math.max(peak, scores[j]);
    let total = 0;
    for (let j = 0; j < length; j++) {
      weights[j] = Math.exp(scores[j] - peak);
      total += weights[j];
    }
    for (let j = 0; j < length; j++) weights[j] /= total;
    return weights;
  }

  function argmax(values) {
    let best = 0;
    for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
    return best;
  }

  // ------------------------------------------------------------------------------------ LSTM
  function lstmParams(tensors, prefix) {
    const kernel = tensors[prefix + ".kernel"];
    return {
      kernel: kernel,
      recurrent: tensors[prefix + ".recurrent_kernel"],
      bias: tensors[prefix + ".bias"],
      units: kernel.shape[1] / 4,
    };
  }

  /** One LSTM step (equations at the top); returns the new [h, c]. */
  function lstmStep(p, x, h, c) {
    const u = p.units;
    const z = affine(x, p.kernel, p.bias);
    const zh = affine(h, p.recurrent, null);
    const hNew = new Float64Array(u);
    const cNew = new Float64Array(u);
    for (let j = 0; j < u; j++) {
      const i = sigmoid(z[j] + zh[j]);
      const f = sigmoid(z[u + j] + zh[u + j]);
      const g = Math.tanh(z[2 * u + j] + zh[2 * u + j]);
      const o = sigmoid(z[3 * u + j] + zh[3 * u + j]);
      cNew[j] = f * c[j] + i * g;
      hNew[j] = o * Math.tanh(cNew[j]);
    }
    return [hNew, cNew];
  }

  /** Run one direction over steps[order]; returns outputs by position and the final [h, c]. */
  function runDirection(p, inputs, order) {
    let h = new Float64Array(p.units);
    let c = new Float64Array(p.units);
    const outputs = new Array(inputs.length);
    for (const t of order) {
      const next = lstmStep(p, inputs[t], h, c);
      h = next[0];
      c = next[1];
      outputs[t] = h;
    }
    return { outputs: outputs, h: h, c: c };
  }

  // ----------------------------------------------------------------------------------- model
  function Seq2SeqModel(manifest, tensors) {
    const config = manifest.model;
    this.manifest = manifest;
    this.config = config;
    this.tensors = tensors;
    this.sourceTokens = manifest.source_vocab;
    this.targetTokens = manifest.target_vocab;
    this.charToId = new Map();
    for (let id = 3; id < this.sourceTokens.length; id++) this.charToId.set(this.sourceTokens[id], id);
    this.maxQueryLength = manifest.max_query_length;
    this.encoderLayers = [];
    for (let l = 0; l < config.num_layers; l++) {
      this.encoderLayers.push({
        forward: lstmParams(tensors, "encoder." + l + ".forward"),
        backward: config.bidirectional ? lstmParams(tensors, "encoder." + l + ".backward") : null,
      });
    }
    this.decoderLayers = [];
    for (let l = 0; l < config.num_layers; l++) {
      this.decoderLayers.push(lstmParams(tensors, "decoder." + l));
    }
  }

  /** Encoder outputs H (one vector per real character) and each layer's final [h, c]. */
  Seq2SeqModel.prototype.runEncoder = function (ids) {
    const table = this.tensors.source_embedding;
    let sequence = ids.map((id) => embeddingRow(table, id));
    const forwardOrder = sequence.map((_, t) => t);
    const backwardOrder = forwardOrder.slice().reverse();
    const states = [];
    for (const layer of this.encoderLayers) {
      const fw = runDirection(layer.forward, sequence, forwardOrder);
      if (layer.backward) {
        const bw = runDirection(layer.backward, sequence, backwardOrder);
        sequence = fw.outputs.map((h, t) => concat(h, bw.outputs[t]));
        states.push([concat(fw.h, bw.h), concat(fw.c, bw.c)]);
      } else {
        sequence = fw.outputs;
        states.push([fw.h, fw.c]);
      }
    }
    return { outputs: sequence, states: states };
  };

  /** Attention weights over the real characters (padded positions stay 0) and the context. */
  Seq2SeqModel.prototype.attend = function (scores, outputs, inputLength) {
    const weights = maskedSoftmax(scores, outputs.length);
    const context = new Float64Array(outputs[0].length);
    for (let j = 0; j < outputs.length; j++) {
      const a = weights[j];
      const h = outputs[j];
      for (let k = 0; k < context.length; k++) context[k] += a * h[k];
    }
    const row = new Float64Array(inputLength);
    row.set(weights.subarray(0, outputs.length));
    return { weights: row, context: context };
  };

  /** Greedy decoding of encoder ids (real characters only); see the equations at the top. */
  Seq2SeqModel.prototype.decodeIds = function (ids) {
    const config = this.config;
    const T = this.tensors;
    const encoded = this.runEncoder(ids);
    const H = encoded.outputs;
    let states = encoded.states.map((pair) => [pair[0], pair[1]]);
    const additive = config.score === "additive";
    // Keys: additive K_j = h_j W_k + b_k; general h_j W_a; dot h_j itself.
    const keys = H.map((h) => {
      if (additive) return affine(h, T["attention.key.kernel"], T["attention.key.bias"]);
      if (config.score === "general") return affine(h, T["attention.key.kernel"], null);
      return h;
    });
    const outputIds = [];
    const attention = [];
    let previous = START_ID;
    for (let t = 0; t < config.output_length; t++) {
      let x = embeddingRow(T.target_embedding, previous);
      let features;
      if (additive) {
        const q = affine(states[states.length - 1][0], T["attention.query.kernel"], null);
        const v = T["attention.scale"].data;
        const scores = keys.map((K) => {
          let e = 0;
          for (let k = 0; k < q.length; k++) e += v[k] * Math.tanh(q[k] + K[k]);
          return e;
        });
        const att = this.attend(scores, H, config.input_length);
        x = concat(x, att.context);
        states = this.stepDecoder(x, states);
        features = concat(states[states.length - 1][0], att.context);
        attention.push(att.weights);
      } else {
        states = this.stepDecoder(x, states);
        const s = states[states.length - 1][0];
        const scores = keys.map((K) => {
          let e = 0;
          for (let k = 0; k < s.length; k++) e += s[k] * K[k];
          return e;
        });
        const att = this.attend(scores, H, config.input_length);
        features = affine(concat(att.context, s), T["combine.kernel"], T["combine.bias"]);
        for (let k = 0; k < features.length; k++) features[k] = Math.tanh(features[k]);
        attention.push(att.weights);
      }
      const logits = affine(features, T["output.kernel"], T["output.bias"]);
      previous = argmax(logits);
      outputIds.push(previous);
    }
    return { outputIds: outputIds, attention: attention };
  };

  /** x through the stacked decoder LSTMs; returns the new [h, c] of every layer. */
  Seq2SeqModel.prototype.stepDecoder = function (x, states) {
    const next = [];
    let input = x;
    this.decoderLayers.forEach((p, l) => {
      const hc = lstmStep(p, input, states[l][0], states[l][1]);
      next.push(hc);
      input = hc[0];
    });
    return next;
  };

  // ------------------------------------------------------------------------- input handling
  function describeChar(ch) {
    if (ch === " ") return "빈칸";
    const code = ch.codePointAt(0);
    if (/^\s$/.test(ch) || code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      return "U+" + code.toString(16).toUpperCase().padStart(4, "0");
    }
    return "'" + ch + "'";
  }

  function failure(code, message, details) {
    return { ok: false, error: Object.assign({ code: code, message: message }, details || {}) };
  }

  /**
   * Validate and encode a query the way Seq2SeqData.encode_inputs does: every character must be
   * in the source vocabulary, the task's transforms ("reverse", "double") are applied, and the
   * result is right-padded with PAD. Text is NFC-normalised first (a pasted decomposed Hangul
   * syllable then matches the vocabulary).
   */
  Seq2SeqModel.prototype.encode = function (text) {
    if (typeof text !== "string") {
      return failure("not_text", "입력은 글자여야 합니다.", {});
    }
    const chars = Array.from(text.normalize("NFC")); // code points, like Python's str
    if (chars.length === 0) {
      return failure("empty", "입력이 비어 있습니다. 글자를 입력해 보세요.", {
        maxLength: this.maxQueryLength,
      });
    }
    for (let index = 0; index < chars.length; index++) {
      if (!this.charToId.has(chars[index])) {
        const known = Array.from(this.charToId.keys()).map((c) => (c === " " ? "빈칸" : c));
        return failure(
          "unknown_char",
          index + 1 + "번째 글자 " + describeChar(chars[index]) +
            ": 이 모델이 배우지 않은 글자입니다. 쓸 수 있는 글자: " + known.join(" "),
          { char: chars[index], index: index, known: Array.from(this.charToId.keys()) }
        );
      }
    }
    if (chars.length > this.maxQueryLength) {
      return failure(
        "too_long",
        "입력이 너무 깁니다. 최대 " + this.maxQueryLength + "글자까지 넣을 수 있습니다 (지금 " +
          chars.length + "글자).",
        { length: chars.length, maxLength: this.maxQueryLength }
      );
    }
    // positions[k]: index in the typed text of the k-th character the encoder reads
    let positions = chars.map((_, i) => i);
    for (const transform of this.manifest.input_transforms) {
      positions = transform === "reverse" ? positions.slice().reverse() : positions.concat(positions);
    }
    const ids = positions.map((i) => this.charToId.get(chars[i]));
    return {
      ok: true,
      ids: ids,
      inputTokens: positions.map((i) => chars[i]),
      sourcePositions: positions,
    };
  };

  /** Decode ids the way Vocab.decode does: stop at END, skip PAD and START. */
  Seq2SeqModel.prototype.idsToText = function (ids) {
    let text = "";
    for (const id of ids) {
      if (id === END_ID) break;
      if (id === PAD_ID || id === START_ID) continue;
      text += this.targetTokens[id];
    }
    return text;
  };

  /**
   * Encode, decode greedily and describe the answer. Never throws: problems come back as
   * {ok: false, error: {code, message}}.
   *
   * Result: {ok, query, text, outputIds (output_length ids), outputTokens (labels),
   *   steps (decoder steps up to and including the first END), inputTokens (encoder order),
   *   sourcePositions, attention (output_length rows of input_length weights), milliseconds}.
   */
  Seq2SeqModel.prototype.translate = function (text) {
    const started = now();
    try {
      const encoded = this.encode(text);
      if (!encoded.ok) return encoded;
      const decoded = this.decodeIds(encoded.ids);
      const end = decoded.outputIds.indexOf(END_ID);
      return {
        ok: true,
        query: text,
        text: this.idsToText(decoded.outputIds),
        outputIds: decoded.outputIds,
        outputTokens: decoded.outputIds.map((id) => this.targetTokens[id]),
        steps: end < 0 ? decoded.outputIds.length : end + 1,
        inputTokens: encoded.inputTokens,
        sourcePositions: encoded.sourcePositions,
        attention: decoded.attention.map((row) => Array.from(row)),
        milliseconds: now() - started,
      };
    } catch (error) {
      return failure("internal", "모델을 실행하지 못했습니다: " + String(error && error.message), {});
    }
  };

  function now() {
    return typeof performance !== "undefined" ? performance.now() : Date.now();
  }

  // ---------------------------------------------------------------------------------- loading
  function checkManifest(manifest) {
    if (!manifest || manifest.format !== FORMAT || manifest.format_version !== FORMAT_VERSION) {
      throw new Error(
        "모델 파일 형식이 맞지 않습니다 (필요: " + FORMAT + " " + FORMAT_VERSION + ", 받은 것: " +
          (manifest && manifest.format) + " " + (manifest && manifest.format_version) + ")."
      );
    }
    if (manifest.weights.dtype !== "float16" || manifest.weights.byte_order !== "little") {
      throw new Error("지원하지 않는 가중치 형식입니다: " + manifest.weights.dtype);
    }
    if (["additive", "dot", "general"].indexOf(manifest.model.score) < 0) {
      throw new Error("지원하지 않는 어텐션 점수입니다: " + manifest.model.score);
    }
  }

  /** Build a model from {manifest, weights: base64 float16} (what a model file registers). */
  function load(entry) {
    checkManifest(entry && entry.manifest);
    const bytes = base64ToBytes(entry.weights);
    const table = entry.manifest.weights.tensors;
    const last = table[table.length - 1];
    const needed = 2 * (last.offset + last.shape.reduce((a, b) => a * b, 1));
    if (bytes.length !== needed) {
      throw new Error("가중치 크기가 맞지 않습니다: " + bytes.length + " 바이트 (필요: " + needed + ").");
    }
    return new Seq2SeqModel(entry.manifest, decodeTensors(entry.manifest, bytes));
  }

  /** The model a <script src="<key>.js"> registered, loaded once and kept. */
  const loaded = new Map();
  function fromRegistry(key, scope) {
    const registry = (scope || (typeof self !== "undefined" ? self : {}))[REGISTRY] || {};
    if (!loaded.has(key)) {
      if (!registry[key]) throw new Error("모델 파일을 찾지 못했습니다: " + key);
      loaded.set(key, load(registry[key]));
    }
    return loaded.get(key);
  }

  return {
    FORMAT: FORMAT,
    FORMAT_VERSION: FORMAT_VERSION,
    REGISTRY: REGISTRY,
    load: load,
    fromRegistry: fromRegistry,
    halfToNumber: halfToNumber,
  };
});
