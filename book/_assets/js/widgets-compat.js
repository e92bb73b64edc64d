/* Loaded after require.js and right before the ipywidgets bundle (nb_ipywidgets_js in
 * _config.yml), only on pages that carry saved widget state. Two fixes for a kernel-free book:
 *
 * 1. The bundle finds its icon fonts next to the AMD module it defines
 *    ("@jupyter-widgets/html-manager/dist/libembed-amd"), which by default resolves to a folder
 *    that does not exist in the book (a 404 per font). Map that module path to the vendored copy.
 * 2. The bundle typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue); the book
 *    ships MathJax 3. Provide a tiny MathJax.Hub that forwards to MathJax 3's typesetPromise.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var vendor = new URL("../vendor/html-manager/", script ? script.src : document.baseURI).href;
  window.__jupyter_widgets_assets_path__ = vendor;
  if (window.require && window.require.config) {
    window.require.config({
      paths: { "@jupyter-widgets/html-manager/dist": vendor.replace(/\/$/, "") },
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
})();
