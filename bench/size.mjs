// Case 6, size: the browser entry (browser/index.js + web glue + .wasm), raw and gzip -9; the Node build;
// and what esbuild produces for a page that imports only `verifyTotWebhook` from "kyc-wasm" (resolved
// through the package's own `exports` map, browser conditions). The .wasm is not inlined by esbuild: it
// stays a separate asset fetched via `new URL(..., import.meta.url)`, so the page total is bundle + wasm.
// `node bench/size.mjs` runs it alone.
import { mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const measure = (bytes) => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
const pkgDir = () => process.env.KYC_PKG ?? path.resolve(HERE, "../pkg");
const file = (rel) => measure(readFileSync(path.join(pkgDir(), rel)));
const sum = (...xs) => xs.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

export async function sizes() {
  const web = { wasm: file("web/kyc_wasm_bg.wasm"), glue: file("web/kyc_wasm.js"), entry: file("browser/index.js") };
  const browserEntry = sum(web.wasm, web.glue, web.entry);
  const node = { wasm: file("node/kyc_wasm_bg.wasm"), glue: file("node/kyc_wasm.js"), esm: file("node/index.mjs") };
  const nodeTotal = sum(node.wasm, node.glue, node.esm);

  // A scratch project whose node_modules/kyc-wasm is the built package.
  const scratch = path.join(HERE, ".scratch");
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(path.join(scratch, "node_modules"), { recursive: true });
  symlinkSync(pkgDir(), path.join(scratch, "node_modules", "kyc-wasm"), "dir");
  const result = await build({
    stdin: {
      contents: `import { verifyTotWebhook } from "kyc-wasm";\n` +
        `document.querySelector("form").onsubmit = (e) => { e.preventDefault(); ` +
        `console.log(verifyTotWebhook(e.target.body.value, e.target.sig.value, e.target.secret.value)); };\n`,
      resolveDir: scratch,
      sourcefile: "page.js",
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const bundle = measure(Buffer.from(result.outputFiles[0].contents));
  const page = sum(bundle, web.wasm);
  rmSync(scratch, { recursive: true, force: true });

  const row = (name, s) => `| ${name} | ${s.raw} (${kb(s.raw)}) | **${s.gzip} (${kb(s.gzip)})** |`;
  const table = [
    "#### Case 6: size (bytes; gzip -9)",
    "",
    "| artifact | raw | gzip -9 |",
    "|---|---:|---:|",
    row("web/kyc_wasm_bg.wasm", web.wasm),
    row("web/kyc_wasm.js (glue)", web.glue),
    row("browser/index.js", web.entry),
    row("**browser entry total** (target ≤ 30 KB gzip)", browserEntry),
    row("node/kyc_wasm_bg.wasm", node.wasm),
    row("node/kyc_wasm.js + index.mjs", sum(node.glue, node.esm)),
    row("**Node build total**", nodeTotal),
    row("esbuild page importing only verifyTotWebhook: JS bundle", bundle),
    row("**that page: bundle + .wasm asset**", page),
  ].join("\n");
  return { data: { web, browserEntry, node, nodeTotal, bundle, page }, table };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log((await sizes()).table);
}
