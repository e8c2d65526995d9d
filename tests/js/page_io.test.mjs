// Issue 16, size pass 2: the I/O of `uploadFile` and of the Token of Trust embed is JavaScript beside the glue
// (pkg/<build>/upload.js, tot-embed.js); the page wasm keeps only the decisions. These checks fail if a
// second implementation comes back into the Rust binding layer (its imports show up in the glue) or if an
// entry stops taking the functions from the lib modules.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { PKG } from "./helpers.mjs";

const read = (...parts) => readFileSync(path.join(PKG, ...parts), "utf8");
// What wasm-bindgen writes into the glue for an imported browser API: a shim calling it. (The glue's own
// loader calls `fetch(module_or_path)` in web/: that one is not an import.)
const IO_IMPORTS = [
  /new XMLHttpRequest\b/,
  /onprogress/,
  /new FormData\b/,
  /createElement\(/,
  /insertBefore\(/,
  /addEventListener\(/,
  /\bsetTimeout\(/,
  /new AbortController\b/,
];

test("the pages' glue imports no XHR, DOM, timer or abort API: that I/O is in upload.js and tot-embed.js", () => {
  for (const dir of ["web", "browser"]) {
    const glue = read(dir, "kyc_wasm.js");
    for (const re of IO_IMPORTS) assert.doesNotMatch(glue, re, `${dir}/kyc_wasm.js: ${re}`);
    const upload = read(dir, "upload.js");
    assert.match(upload, /XMLHttpRequest/, `${dir}/upload.js sends with XMLHttpRequest`);
    const embed = read(dir, "tot-embed.js");
    assert.match(embed, /createElement\(/, `${dir}/tot-embed.js inserts embed.js`);
  }
});

test("every build with uploadFile takes it from upload.js; the embed comes from tot-embed.js in the page builds only", () => {
  for (const dir of ["web", "browser"]) {
    const entry = read(dir, "index.js");
    assert.match(entry, /export \{ uploadFile \} from "\.\/upload\.js";/, `${dir}/index.js`);
    assert.match(
      entry,
      /export \{ loadTotEmbed, openContinuation, onModalClose, onModalFormSubmitted, verifyPerson \} from "\.\/tot-embed\.js";/,
      `${dir}/index.js`,
    );
    assert.doesNotMatch(entry, /__upload|__tot/, `${dir}/index.js exports no __ helper`);
  }
  for (const dir of ["edge", "server"]) {
    const entry = read(dir, "index.js");
    assert.match(entry, /uploadFile[^\n]*from "\.\/upload\.js"/, `${dir}/index.js`);
    assert.doesNotMatch(entry, /tot-embed/, `${dir}/index.js has no embed`);
  }
  assert.match(read("node", "index.js"), /require\("\.\/upload\.js"\)/, "node/index.js");
  for (const dir of ["lite/node", "lite/web", "lite/browser", "lite/edge"]) {
    assert.doesNotMatch(read(...dir.split("/"), "index.js"), /upload\.js|tot-embed\.js/, `${dir}/index.js`);
  }
});
