// The gzip -9 size of an entry and everything it loads: the entry file, then every file it imports by a relative
// specifier (`import … from "./x.js"`, `export … from "./x.js"`, `import "./x.js"`, `import("./x.js")`; a
// `?module` suffix dropped, as edge bundlers do for `.wasm?module`), each file gzipped on its own and summed, as a
// browser or a deploy sees them (one response or module per file). `node bench/entry-size.mjs <file>` prints one.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** `{ files: [{ file, raw, gzip }], raw, gzip }` for `entry` (an absolute path). */
export function entrySize(entry) {
  const seen = new Set();
  const files = [];
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!existsSync(file)) throw new Error(`entry-size: ${file} is imported but missing`);
    const bytes = readFileSync(file);
    files.push({ file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
    if (!/\.(m?js|cjs)$/.test(file)) return;
    for (const m of bytes.toString("utf8").matchAll(SPECIFIER)) visit(path.resolve(path.dirname(file), m[1].replace(/\?.*$/, "")));
  };
  visit(entry);
  return { files, raw: files.reduce((n, f) => n + f.raw, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = entrySize(path.resolve(process.argv[2]));
  for (const f of s.files) console.log(String(f.gzip).padStart(8), String(f.raw).padStart(9), f.file);
  console.log(String(s.gzip).padStart(8), String(s.raw).padStart(9), "total (gzip -9, raw)");
}
