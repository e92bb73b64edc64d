/*
 * seq2seq_playground.js — the "직접 해 보기" box of attn_lib.playground: a text box whose every
 * keystroke runs the model (seq2seq_runtime.js) and shows the answer and its attention.
 * Plain ES2017, DOM only (every token is set with textContent, never parsed as HTML).
 *
 *   AttnPlayground.mount(boxElement, model) -> {update(text)}
 *
 * The box (written by attn_lib.playground) holds an <input>, an answer line ([data-role=answer])
 * and an attention area ([data-role=attention]). The attention is drawn as a table: one row per
 * output character up to END, one column per character the encoder reads, cell shade = weight.
 * (The book's attention view replaces this table once it lands.)
 */
(function (root) {
  "use strict";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function label(token) {
    return token === " " ? "␣" : token;
  }

  /** The attention table for one result (rows: output steps up to END; columns: input). */
  function attentionTable(result) {
    const table = element("table", "attn-playground-table");
    const caption = element("caption", "", "어텐션: 출력 글자(행)가 입력 글자(열)에 준 가중치");
    table.appendChild(caption);
    const head = element("tr");
    head.appendChild(element("th", "", ""));
    for (const token of result.inputTokens) {
      const th = element("th", "", label(token));
      th.scope = "col";
      head.appendChild(th);
    }
    table.appendChild(head);
    for (let t = 0; t < result.steps; t++) {
      const row = element("tr");
      const th = element("th", "", label(result.outputTokens[t]));
      th.scope = "row";
      row.appendChild(th);
      for (let j = 0; j < result.inputTokens.length; j++) {
        const weight = result.attention[t][j];
        const cell = element("td", "", "");
        cell.style.backgroundColor = "rgba(37, 99, 235, " + weight.toFixed(3) + ")";
        cell.title = label(result.outputTokens[t]) + " ← " + label(result.inputTokens[j]) + ": " +
          weight.toFixed(3);
        row.appendChild(cell);
      }
      table.appendChild(row);
    }
    return table;
  }

  /** Wire a box to a model: every input event decodes the text and redraws the answer. */
  function mount(box, model) {
    const input = box.querySelector("input");
    const answer = box.querySelector("[data-role=answer]");
    const attention = box.querySelector("[data-role=attention]");

    function update(text) {
      const result = model.translate(text);
      attention.textContent = "";
      if (!result.ok) {
        box.dataset.state = "error";
        box.dataset.errorCode = result.error.code;
        answer.textContent = result.error.message;
        return result;
      }
      box.dataset.state = "ok";
      delete box.dataset.errorCode;
      answer.textContent = "";
      answer.appendChild(element("span", "attn-playground-label", "모델의 답: "));
      answer.appendChild(element("output", "attn-playground-output", result.text));
      attention.appendChild(attentionTable(result));
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
