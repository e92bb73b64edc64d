#!/usr/bin/env node
/*
 * Node wrapper of seq2seq_runtime.js: load a model file written by attn_lib.export and decode.
 *
 *   node seq2seq_node.js MODEL.js < queries.json > results.json
 *
 * queries.json is a JSON list of strings; the output is a JSON list of translate() results.
 * As a module: require("./seq2seq_node.js").loadModelFile(path) returns the runtime's model.
 */
"use strict";
const fs = require("fs");
const vm = require("vm");
const runtime = require("./seq2seq_runtime.js");

/** Run a model file in a sandbox (as a page's <script> would) and load what it registered. */
function loadModelFile(file) {
  const sandbox = {};
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
  const registered = Object.keys(sandbox[runtime.REGISTRY] || {});
  if (registered.length !== 1) {
    throw new Error(file + " registers " + registered.length + " models, expected 1");
  }
  return runtime.fromRegistry(registered[0], sandbox);
}

module.exports = { loadModelFile: loadModelFile, runtime: runtime };

if (require.main === module) {
  const model = loadModelFile(process.argv[2]);
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  process.stdout.write(JSON.stringify(queries.map((query) => model.translate(query))));
}
