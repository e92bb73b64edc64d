/* Loaded after require.js and right before the ipywidgets bundle (nb_ipywidgets_js in
 * _config.yml), only on pages that carry saved widget state. Two fixes for a kernel-free book:
 *
 * 1. The bundle finds its icon fonts next to the AMD module it defines
 *    ("@jupyter-widgets/html-manager/dist/libembed-amd"), which by default resolves to a folder
 *    that does not exist in the book (a 404 per font). Map that module path to the vendored copy.
 *    The file holds a second copy, defined as "@jupyter-widgets/html-manager" and evaluated only
 *    when something requires that name; its fonts resolved to "<page>/@jupyter-widgets/" (404s
 *    seen once in CI), so that name is mapped into the same folder too.
 * 2. The bundle typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue); the book
 *    ships MathJax 3. Provide a tiny MathJax.Hub that forwards to MathJax 3's typesetPromise.
 * 3. A slider's handle (role="slider") gets no accessible name from ipywidgets 8: its
 *    `description` is a separate <label>. Name every handle after its slider's description
 *    (axe: aria-input-field-name), as the widgets appear.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var vendor = new URL("../vendor/html-manager/", script ? script.src : document.baseURI).href;
  window.__jupyter_widgets_assets_path__ = vendor;
  if (window.require && window.require.config) {
    window.require.config({
      paths: {
        "@jupyter-widgets/html-manager/dist": vendor.replace(/\/$/, ""),
        "@jupyter-widgets/html-manager": vendor + "html-manager",
      },
    });
  }

  function typeset(element) {
    var mathjax = window.MathJax;
    if (!element || !mathjax) return;
    var run = function () {
      if (mathjax.typesetPromise) {
        mathjax.typesetPromise([element]).catch(function () {});
      }
    };
    if (mathjax.startup && mathjax.startup.promise) {
      mathjax.startup.promise.then(run);
    } else {
      run();
    }
  }

  function addHub() {
    var mathjax = window.MathJax;
    if (mathjax && !mathjax.Hub) {
      mathjax.Hub = {
        Queue: function (job) {
          typeset(Array.isArray(job) ? job[2] : undefined);
        },
      };
    }
  }

  // MathJax 3 is loaded with `defer`, so its object exists by DOMContentLoaded; the widgets
  // render on `load`, after this listener (registered first) has run.
  addHub();
  document.addEventListener("DOMContentLoaded", addHub);
  window.addEventListener("load", addHub);

  function nameSliders(root) {
    var handles = root.querySelectorAll('[role="slider"]:not([aria-label]):not([aria-labelledby])');
    handles.forEach(function (handle) {
      var widget = handle.closest(".widget-slider, .jupyter-widget-slider, .widget-hslider");
      var label = widget && widget.querySelector(".widget-label, .widget-label-basic");
      var text = label ? label.textContent.trim() : "";
      if (text) handle.setAttribute("aria-label", text);
    });
  }

  function watchSliders() {
    nameSliders(document);
    new MutationObserver(function () {
      nameSliders(document);
    }).observe(document.body, { subtree: true, childList: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchSliders);
  } else {
    watchSliders();
  }
})();
