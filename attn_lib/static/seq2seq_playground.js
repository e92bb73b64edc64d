/*
 * seq2seq_playground.js — the "직접 해 보기" box of attn_lib.playground: a text box whose every
 * keystroke runs the model (seq2seq_runtime.js) and shows the answer and its attention.
 * Plain ES2017, DOM only (every token is set with textContent, never parsed as HTML).
 *
 *   AttnPlayground.mount(boxElement, model) -> {update(text)}
 *
 * The box (written by attn_lib.playground) holds an <input>, an answer line ([data-role=answer])
 * and an attention area ([data-role=attention]; data-scale, data-end and data-cmap say how the
 * view draws: attention_view.SCALE, attn_lib.viz.END_TOKEN, the colour map's stops). It is drawn
 * by the book's attention view (attention_view.js, window.attnLibView, shipped in the
 * same script file): one panel, rows = output characters up to END, columns = the characters
 * the encoder reads, with its decoder-step slider, hover read-out and click strips.
 */
(function (root) {
  "use strict";

  const TITLE = "어텐션: 출력 글자(행)가 입력 글자(열)에 준 가중치";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /**
   * The attention view's data for one result (one example, model and epoch): the rows up to and
   * including END, the columns the encoder read, weights as integers (weight * scale).
   */
  function viewData(result, settings) {
    const scale = Number(settings.scale);
    const columns = result.inputTokens.length;
    const weights = [];
    for (let t = 0; t < result.steps; t++) {
      for (let j = 0; j < columns; j++) weights.push(Math.round(result.attention[t][j] * scale));
    }
    return {
      title: TITLE,
      order: ["example", "step", "epoch", "model"],
      models: [""],
      epochs: [""],
      inputs: [result.inputTokens],
      answers: null,
      end: settings.end,
      scale: scale,
      cmap: JSON.parse(settings.cmap),
      annotate: false,
      start: { model: 0, epoch: 0, example: 0, step: 0 },
      panels: [[[{ o: result.outputTokens.slice(0, result.steps), w: weights }]]],
    };
  }

  /**
   * Draw ``result`` into the attention area. The first call boots a view (which adds the view's
   * style sheet once). Later calls hand the same View the new data and redraw it: the View keeps
   * its data in ``d`` and its decoder-step and column choice (clamped to the new panel), and
   * measures its height once (``sized``), again only when a panel is taller than any before.
   * Building a new View per keystroke would re-measure the page every time (about 8 ms more).
   */
  function drawAttention(area, result) {
    const lib = root.attnLibView;
    const data = viewData(result, area.dataset);
    let holder = area.querySelector(".attn-view");
    if (!holder) {
      holder = element("div", "attn-view tex2jax_ignore mathjax_ignore");
      holder.id = area.id + "-view";
      holder.lang = "ko";
      area.appendChild(holder);
      lib.boot(holder, data);
      area.dataset.rows = String(result.steps);
      return;
    }
    const view = holder.attnView;
    view.d = data;
    if (result.steps > Number(area.dataset.rows)) {
      view.sized = false;
      area.dataset.rows = String(result.steps);
    }
    view.update(true);
  }

  /** Wire a box to a model: every input event decodes the text and redraws the answer. */
  function mount(box, model) {
    const input = box.querySelector("input[type=text]");
    const answer = box.querySelector("[data-role=answer]");
    const attention = box.querySelector("[data-role=attention]");
    if (!root.attnLibView || !root.attnLibView.View) {
      throw new Error("the attention view (attention_view.js) is not loaded");
    }

    function update(text) {
      const result = model.translate(text);
      if (!result.ok) {
        box.dataset.state = "error";
        box.dataset.errorCode = result.error.code;
        answer.textContent = result.error.message;
        attention.hidden = true;
        return result;
      }
      box.dataset.state = "ok";
      delete box.dataset.errorCode;
      answer.textContent = "";
      answer.appendChild(element("span", "attn-playground-label", "모델의 답: "));
      answer.appendChild(element("output", "attn-playground-output", result.text));
      attention.hidden = false;
      drawAttention(attention, result);
      box.dataset.milliseconds = result.milliseconds.toFixed(2);
      return result;
    }

    input.addEventListener("input", () => update(input.value));
    for (const button of box.querySelectorAll("button[data-example]")) {
      button.addEventListener("click", () => {
        input.value = button.dataset.example;
        update(input.value);
        input.focus();
      });
    }
    input.disabled = false;
    update(input.value);
    return { update: update };
  }

  /** Show a loading problem in the box instead of throwing (nothing reaches the console). */
  function fail(box, message) {
    box.dataset.state = "error";
    box.dataset.errorCode = "load";
    box.querySelector("[data-role=answer]").textContent = message;
  }

  root.AttnPlayground = { mount: mount, fail: fail };
})(self);
