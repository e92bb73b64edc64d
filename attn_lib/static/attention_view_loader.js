// Inlined (uncompressed) at the end of every attention view. Its data and the script bundle
// (attention_view.js + .css) are gzipped and base64-encoded. The first view on a page
// decompresses the bundle and runs it (window.attnLibView.loading is the promise the others
// wait on); a window that already has this version only reads its own data. Without
// DecompressionStream the static fallback image stays.
(function (script) {
  var VERSION = 1;
  var root = script && script.closest ? script.closest(".attn-view") : null;
  var w = window;
  if (!root || typeof DecompressionStream === "undefined") return;
  var inflate = function (packed) {
    var bytes = Uint8Array.from(atob(packed), function (c) {
      return c.charCodeAt(0);
    });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  };
  var lib = w.attnLibView;
  if (!lib || !(lib.version >= VERSION || lib.loading)) {
    lib = {
      version: 0,
      loading: inflate("__BUNDLE__").then(function (code) {
        var run = document.createElement("script");
        run.textContent = code;
        (document.head || document.documentElement).appendChild(run);
        run.remove();
      }),
    };
    w.attnLibView = lib;
  }
  var source = root.querySelector("script.attn-view-data");
  Promise.all([lib.loading, inflate(source.textContent.trim())])
    .then(function (done) {
      var ready = w.attnLibView;
      if (ready && ready.boot) ready.boot(root, JSON.parse(done[1]));
    })
    .catch(function (error) {
      console.warn("attn_lib attention view could not start:", error);
    });
})(document.currentScript);
