// attn_lib.attention_view: draws an attention heatmap from the data of its container.
// attn_lib/attention_view.py bundles this file with attention_view.css (the CSS_TEXT
// placeholder below), gzips it and inlines it, base64-encoded, into every view's HTML output,
// next to a small loader. The loader decompresses the bundle once per window, runs it (it only
// defines window.attnLibView, versioned) and boots its own container. So each output works
// alone: in the static book, in Colab's sandboxed output frame, JupyterLab and VS Code.
// Tokens only ever reach the page through textContent.
// Comment lines (starting with //) and indentation are stripped when bundled: keep every
// comment on its own line and never start a line of code inside a string or template.
(function () {
  "use strict";
  var VERSION = 1;
  var CSS = "__CSS_TEXT__";
  var lib = window.attnLibView;
  if (lib && lib.version >= VERSION) return;
  lib = define();
  window.attnLibView = lib;

  function define() {
    var AXES = {
      example: "예시",
      step: "디코더 단계",
      epoch: "에폭",
      model: "모델",
    };
    var SPACE = "␣";

    function el(tag, cls, text) {
      var node = document.createElement(tag);
      if (cls) node.className = cls;
      if (text !== undefined && text !== null) node.textContent = text;
      return node;
    }

    function shown(token) {
      return token === " " ? SPACE : token;
    }

    function hexRgb(hex) {
      var n = parseInt(hex.slice(1), 16);
      return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    }

    // WCAG relative luminance of an sRGB colour given as 0..255 channels.
    function luminance(rgb) {
      var lin = rgb.map(function (v) {
        v /= 255;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    }

    // Linear interpolation between the colour map's stops (weight in 0..1), with the text
    // colour (near-black or white) that contrasts more with it.
    function colour(stops, weight) {
      var x = Math.max(0, Math.min(1, weight)) * (stops.length - 1);
      var i = Math.min(stops.length - 2, Math.floor(x));
      var f = x - i;
      var a = stops[i];
      var b = stops[i + 1];
      var rgb = [0, 1, 2].map(function (k) {
        return Math.round(a[k] + (b[k] - a[k]) * f);
      });
      var l = luminance(rgb);
      var dark = (l + 0.05) / (luminance([17, 17, 17]) + 0.05);
      var light = 1.05 / (l + 0.05);
      return { bg: "rgb(" + rgb.join(",") + ")", fg: dark >= light ? "#111" : "#fff" };
    }

    function paint(node, stops, weight) {
      var c = colour(stops, weight);
      node.style.background = c.bg;
      node.style.color = c.fg;
    }

    function View(root, data) {
      this.root = root;
      this.d = data;
      this.uid = root.id || "attn-view-" + Math.random().toString(36).slice(2);
      this.stops = this.d.cmap.map(hexRgb);
      this.s = {
        model: this.d.start.model,
        epoch: this.d.start.epoch,
        example: this.d.start.example,
        step: this.d.start.step,
        column: -1,
      };
      this.focus = [0, 0];
      this.build();
      this.update(true);
    }

    View.prototype.panel = function () {
      var s = this.s;
      var p = this.d.panels[s.model][s.epoch][s.example];
      var inputs = this.d.inputs[s.example];
      return { out: p.o, inp: inputs, w: p.w, n: inputs.length, q: this.d.scale };
    };

    View.prototype.weight = function (p, r, c) {
      return p.w[r * p.n + c] / p.q;
    };

    View.prototype.axes = function () {
      var d = this.d;
      var sizes = {
        example: d.inputs.length,
        epoch: d.epochs.length,
        model: d.models.length,
        step: 2,
      };
      return d.order.filter(function (name) {
        return sizes[name] > 1;
      });
    };

    View.prototype.build = function () {
      var self = this;
      var root = this.root;
      var d = this.d;
      var box = el("div", "av-box");
      if (d.title) box.appendChild(el("div", "av-title", d.title));
      var controls = el("div", "av-controls");
      this.sliders = {};
      this.axes().forEach(function (name) {
        var id = self.uid + "-" + name;
        var row = el("div", "av-ctl av-ctl-" + name);
        var label = el("label", "av-ctl-label", AXES[name]);
        label.htmlFor = id;
        var input = el("input", "av-range");
        input.type = "range";
        input.id = id;
        input.min = "0";
        input.step = "1";
        input.dataset.axis = name;
        var readout = el("output", "av-ctl-value");
        readout.htmlFor = id;
        input.addEventListener("input", function () {
          self.move(name, Number(input.value));
        });
        row.appendChild(label);
        row.appendChild(input);
        row.appendChild(readout);
        controls.appendChild(row);
        self.sliders[name] = { input: input, readout: readout };
      });
      box.appendChild(controls);
      this.info = el("div", "av-info");
      this.info.setAttribute("aria-live", "polite");
      box.appendChild(this.info);
      this.readout = el("div", "av-readout");
      this.readout.setAttribute("aria-live", "polite");
      box.appendChild(this.readout);
      var scroll = el("div", "av-scroll");
      this.grid = el("div", "av-grid");
      this.grid.setAttribute("role", "grid");
      this.grid.setAttribute(
        "aria-label",
        (d.title ? d.title + ": " : "") + "어텐션 가중치. 행은 출력 글자, 열은 입력 글자"
      );
      scroll.appendChild(this.grid);
      box.appendChild(scroll);
      var legend = el("div", "av-legend");
      legend.setAttribute("aria-hidden", "true");
      var bar = el("span", "av-legend-bar");
      bar.style.background = "linear-gradient(to right," + d.cmap.join(",") + ")";
      legend.appendChild(el("span", null, "0"));
      legend.appendChild(bar);
      legend.appendChild(el("span", null, "1 어텐션 가중치"));
      box.appendChild(legend);
      this.inStrip = el("div", "av-strip av-strip-in");
      this.outStrip = el("div", "av-strip av-strip-out");
      box.appendChild(this.inStrip);
      box.appendChild(this.outStrip);
      root.appendChild(box);

      this.grid.addEventListener("mouseover", function (event) {
        var cell = event.target.closest(".av-cell");
        if (cell) self.show(Number(cell.dataset.r), Number(cell.dataset.c));
      });
      this.grid.addEventListener("focusin", function (event) {
        var t = event.target;
        self.focus = [Number(t.dataset.gr), Number(t.dataset.gc)];
        if (t.classList.contains("av-cell")) self.show(Number(t.dataset.r), Number(t.dataset.c));
      });
      this.grid.addEventListener("click", function (event) {
        var t = event.target.closest("[data-gr]");
        if (!t) return;
        t.focus();
        self.activate(t);
      });
      this.grid.addEventListener("keydown", function (event) {
        self.key(event);
      });
      [this.inStrip, this.outStrip].forEach(function (strip) {
        strip.addEventListener("click", function (event) {
          var t = event.target.closest("[data-pick]");
          if (!t) return;
          var index = Number(t.dataset.index);
          if (t.dataset.pick === "row") self.selectRow(index);
          else self.selectColumn(index);
        });
      });
      root.classList.add("attn-ready");
    };

    View.prototype.move = function (axis, value) {
      if (axis === "step") {
        this.s.step = value;
        this.update(false);
        return;
      }
      this.s[axis] = value;
      this.s.column = -1;
      this.update(true);
    };

    View.prototype.selectRow = function (r) {
      this.s.step = this.s.step === r + 1 ? 0 : r + 1;
      this.update(false);
    };

    View.prototype.selectColumn = function (c) {
      this.s.column = this.s.column === c ? -1 : c;
      this.update(false);
    };

    View.prototype.activate = function (t) {
      if (t.dataset.kind === "col") this.selectColumn(Number(t.dataset.c));
      else if (t.dataset.kind !== "corner") this.selectRow(Number(t.dataset.r));
    };

    View.prototype.key = function (event) {
      var p = this.panel();
      var r = this.focus[0];
      var c = this.focus[1];
      var rows = p.out.length;
      var cols = p.n;
      switch (event.key) {
        case "ArrowUp":
          r = Math.max(0, r - 1);
          break;
        case "ArrowDown":
          r = Math.min(rows, r + 1);
          break;
        case "ArrowLeft":
          c = Math.max(0, c - 1);
          break;
        case "ArrowRight":
          c = Math.min(cols, c + 1);
          break;
        case "Home":
          c = 0;
          if (event.ctrlKey) r = 0;
          break;
        case "End":
          c = cols;
          if (event.ctrlKey) r = rows;
          break;
        case "Enter":
        case " ":
          this.activate(event.target);
          event.preventDefault();
          return;
        case "Escape":
          this.s.step = 0;
          this.s.column = -1;
          this.update(false);
          return;
        default:
          return;
      }
      event.preventDefault();
      this.focusCell(r, c, true);
    };

    View.prototype.focusCell = function (r, c, move) {
      var target = this.cells[r] && this.cells[r][c];
      if (!target) return;
      var old = this.grid.querySelector('[tabindex="0"]');
      if (old) old.tabIndex = -1;
      target.tabIndex = 0;
      this.focus = [r, c];
      if (move) target.focus();
    };

    View.prototype.show = function (r, c) {
      var p = this.panel();
      var w = this.weight(p, r, c);
      this.readout.textContent = "";
      var text =
        "출력 " + (r + 1) + "번째 ‘" + shown(p.out[r]) + "’ ← 입력 " + (c + 1) + "번째 ‘" +
        shown(p.inp[c]) + "’: ";
      this.readout.appendChild(document.createTextNode(text));
      var value = el("b", "av-val", w.toFixed(3));
      value.dataset.r = r;
      value.dataset.c = c;
      this.readout.appendChild(value);
    };

    View.prototype.hint = function () {
      this.readout.textContent =
        "칸에 마우스를 올리거나 키보드로 옮기면 가중치가 나옵니다. 출력 글자(행)나 입력 글자(열)를 누르면 강조됩니다.";
    };

    // Build the grid for the current panel (example, epoch, model).
    View.prototype.drawGrid = function () {
      var self = this;
      var p = this.panel();
      var hadFocus = this.grid.contains(document.activeElement);
      var grid = this.grid;
      grid.textContent = "";
      grid.style.setProperty("--av-cols", String(p.n));
      // Word tokens ("도서관에서") need wider columns than the default cell; characters keep it.
      var longest = Math.max.apply(null, p.inp.map(function (t) { return shown(t).length; }));
      grid.style.setProperty("--av-cell", longest > 1 ? "minmax(1.25em, max-content)" : "");
      this.cells = [];
      var head = el("div", "av-row");
      head.setAttribute("role", "row");
      var corner = el("div", "av-corner", "출력＼입력");
      corner.setAttribute("role", "columnheader");
      head.appendChild(corner);
      var first = [corner];
      p.inp.forEach(function (token, c) {
        var h = el("div", "av-col", shown(token));
        h.setAttribute("role", "columnheader");
        h.dataset.c = c;
        first.push(h);
        head.appendChild(h);
      });
      this.cells.push(first);
      grid.appendChild(head);
      p.out.forEach(function (token, r) {
        var row = el("div", "av-row");
        row.setAttribute("role", "row");
        var h = el("div", "av-rowh", shown(token));
        h.setAttribute("role", "rowheader");
        h.dataset.r = r;
        row.appendChild(h);
        var line = [h];
        for (var c = 0; c < p.n; c++) {
          var w = self.weight(p, r, c);
          var cell = el("div", "av-cell");
          // An annotated cell's name must contain its visible text (".02" in "0.02").
          if (self.d.annotate) cell.appendChild(el("span", null, w.toFixed(2).replace(/^0/, "")));
          cell.setAttribute("role", "gridcell");
          cell.setAttribute("aria-label", w.toFixed(self.d.annotate ? 2 : 3));
          cell.dataset.r = r;
          cell.dataset.c = c;
          paint(cell, self.stops, w);
          row.appendChild(cell);
          line.push(cell);
        }
        self.cells.push(line);
        grid.appendChild(row);
      });
      this.cells.forEach(function (line, gr) {
        line.forEach(function (node, gc) {
          node.dataset.gr = gr;
          node.dataset.gc = gc;
          node.dataset.kind = gr === 0 ? (gc === 0 ? "corner" : "col") : gc === 0 ? "row" : "cell";
          node.tabIndex = -1;
        });
      });
      var r = Math.min(this.focus[0], p.out.length);
      var c = Math.min(this.focus[1], p.n);
      this.focusCell(r, c, hadFocus);
      if (!hadFocus) this.hint();
    };

    // Frames, dimming, strips, captions: everything that depends on step and column.
    View.prototype.mark = function () {
      var self = this;
      var p = this.panel();
      var s = this.s;
      var step = s.step;
      this.cells.forEach(function (line, gr) {
        var r = gr - 1;
        line.forEach(function (node, gc) {
          var c = gc - 1;
          node.classList.toggle("av-cur", r >= 0 && r === step - 1);
          node.classList.toggle("av-later", step > 0 && r >= step);
          node.classList.toggle("av-pick", c >= 0 && c === s.column);
        });
      });
      this.cells.slice(1).forEach(function (line) {
        line[0].setAttribute("aria-selected", String(line[0].dataset.r == step - 1));
      });
      this.cells[0].slice(1).forEach(function (node) {
        node.setAttribute("aria-selected", String(node.dataset.c == s.column));
      });

      var row = step > 0 ? step - 1 : -1;
      var col = s.column;
      this.strip(
        this.inStrip,
        row >= 0 ? "입력 (출력 ‘" + shown(p.out[row]) + "’ 단계의 가중치)" : "입력",
        p.inp,
        "col",
        row >= 0 ? function (c) { return self.weight(p, row, c); } : null,
        col,
        "av-pick"
      );
      this.strip(
        this.outStrip,
        col >= 0 ? "출력 (입력 ‘" + shown(p.inp[col]) + "’에 준 가중치)" : "출력",
        p.out,
        "row",
        col >= 0 ? function (r) { return self.weight(p, r, col); } : null,
        row,
        "av-cur"
      );
    };

    // A text strip of tokens (Alammar style), shaded by weightOf(index) when given.
    View.prototype.strip = function (node, label, tokens, pick, weightOf, marked, markClass) {
      var self = this;
      node.textContent = "";
      node.appendChild(el("span", "av-strip-label", label));
      tokens.forEach(function (token, i) {
        var t = el("span", "av-tok", shown(token));
        t.dataset.pick = pick;
        t.dataset.index = i;
        if (weightOf) {
          var w = weightOf(i);
          paint(t, self.stops, w);
          t.dataset.w = w.toFixed(3);
          t.title = w.toFixed(3);
        }
        t.classList.toggle(markClass, i === marked);
        node.appendChild(t);
      });
    };

    View.prototype.captions = function () {
      var d = this.d;
      var s = this.s;
      var p = this.panel();
      var text = function (tokens, sep) {
        return tokens
          .filter(function (t) {
            return t !== d.end;
          })
          .join(sep || "");
      };
      var sizes = { example: d.inputs.length, epoch: d.epochs.length, model: d.models.length };
      var labels = {
        example: s.example + 1 + "/" + sizes.example,
        epoch: String(d.epochs[s.epoch]),
        model: d.models[s.model],
        step:
          s.step === 0
            ? "전체"
            : s.step + "/" + p.out.length + " · ‘" + shown(p.out[s.step - 1]) + "’",
      };
      for (var name in this.sliders) {
        var ui = this.sliders[name];
        var max = name === "step" ? p.out.length : sizes[name] - 1;
        ui.input.max = String(max);
        ui.input.value = String(s[name]);
        ui.readout.textContent = labels[name];
        ui.input.setAttribute("aria-valuetext", AXES[name] + " " + labels[name]);
      }
      var info = this.info;
      info.textContent = "";
      var add = function (label, value, cls) {
        var part = el("span", "av-part " + (cls || ""));
        part.appendChild(el("span", "av-part-label", label + " "));
        part.appendChild(el("span", "av-str", value));
        info.appendChild(part);
      };
      if (d.models.length > 1) add("모델", d.models[s.model], "av-model");
      add("입력", text(p.inp, d.sepIn), "av-input");
      var answer = d.answers ? d.answers[s.example] : null;
      var out = text(p.out, d.sepOut);
      add(answer === null ? "출력" : "예측", out, "av-output");
      if (answer !== null) {
        add("정답", answer, "av-answer");
        var ok = out === answer;
        var mark = el("span", "av-mark " + (ok ? "av-ok" : "av-bad"), ok ? "✓" : "✗");
        mark.setAttribute("aria-label", ok ? "맞음" : "틀림");
        mark.setAttribute("role", "img");
        info.appendChild(mark);
      }
    };

    // Give the heatmap's scroll box the height of the tallest panel, in em, and contain it:
    // moving a slider then never changes the page's layout (no jumps, a cheap relayout).
    // Needs the view in the document; a detached start (JupyterLab) sizes on the first move.
    View.prototype.size = function () {
      if (this.sized || !this.root.isConnected) return;
      var d = this.d;
      var s = this.s;
      var start = [s.model, s.epoch, s.example];
      var tallest = start;
      var rows = -1;
      d.panels.forEach(function (byEpoch, m) {
        byEpoch.forEach(function (byExample, e) {
          byExample.forEach(function (panel, i) {
            if (panel.o.length > rows) {
              rows = panel.o.length;
              tallest = [m, e, i];
            }
          });
        });
      });
      s.model = tallest[0];
      s.epoch = tallest[1];
      s.example = tallest[2];
      this.drawGrid();
      var scroll = this.grid.parentNode;
      var font = parseFloat(getComputedStyle(scroll).fontSize);
      var height = this.grid.offsetHeight;
      s.model = start[0];
      s.epoch = start[1];
      s.example = start[2];
      if (!height || !font) return;
      this.sized = true;
      var probe = el("div");
      probe.style.cssText = "overflow:scroll;width:50px;height:50px;position:absolute;top:-99px";
      document.body.appendChild(probe);
      var bar = probe.offsetHeight - probe.clientHeight;
      probe.remove();
      scroll.style.height = (height + bar + 6) / font + "em";
      scroll.classList.add("av-sized");
    };

    View.prototype.update = function (panelChanged) {
      var p = this.panel();
      if (this.s.step > p.out.length) this.s.step = p.out.length;
      if (this.s.column >= p.n) this.s.column = -1;
      this.size();
      if (panelChanged || this.cells === undefined) this.drawGrid();
      this.mark();
      this.captions();
      this.root.dataset.frame = String(Number(this.root.dataset.frame || 0) + 1);
    };

    function boot(root, data) {
      if (root.dataset.booted) return root.attnView;
      root.dataset.booted = "1";
      var style = el("style", null, CSS);
      root.appendChild(style);
      var host = root.parentNode;
      if (host && host.classList && host.classList.contains("output")) {
        host.classList.add("attn-view-host");
      }
      try {
        root.attnView = new View(root, data);
      } catch (error) {
        root.dataset.booted = "error";
        root.classList.remove("attn-ready");
        if (window.console) console.warn("attn_lib attention view:", error);
      }
      return root.attnView;
    }

    return { version: VERSION, boot: boot, View: View };
  }
})();
