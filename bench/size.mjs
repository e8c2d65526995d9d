// Case 6, size: the browser entries of kyc-wasm and kyc-wasm/lite (browser/index.js + web glue + .wasm), raw
// and gzip -9; the Node builds; and what esbuild produces for a service worker that imports only
// `verifyTotWebhook` from "kyc-wasm/server" and a page that imports only `reasonIsPositive` from "kyc-wasm/lite" (resolved
// through the package's own `exports` map, browser conditions). Since issue 13 the browser entry carries the
// wasm bytes (hex) in JavaScript, so the bundle is the whole page; kyc-wasm/web keeps a separate .wasm.
// `node bench/size.mjs` runs it alone.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
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

/**
 * esbuild output for a page that imports only `name` from `specifier`, minified (browser conditions).
 * Since issue 16 the verifiers are under the `browser` condition only in `kyc-wasm/server` (a service worker's
 * case); pages import the gate functions from `kyc-wasm` or `kyc-wasm/lite`.
 */
async function onePage(scratch, specifier, name) {
  const call = name === "verifyTotWebhook"
    ? "verifyTotWebhook(e.target.body.value, e.target.sig.value, e.target.secret.value)"
    : "reasonIsPositive(JSON.parse(e.target.body.value))";
  const result = await build({
    stdin: {
      contents: `import { ${name} } from "${specifier}";\n` +
        `document.querySelector("form").onsubmit = (e) => { e.preventDefault(); console.log(${call}); };\n`,
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
  return measure(Buffer.from(result.outputFiles[0].contents));
}

export async function sizes() {
  const web = { wasm: file("browser/kyc_wasm_bg.wasm.js"), glue: file("browser/kyc_wasm.js"), entry: file("browser/index.js"), file: file("web/kyc_wasm_bg.wasm") };
  const browserEntry = sum(web.wasm, web.glue, web.entry);
  // Issue 16, session 3: node/kyc_wasm.js is a facade over kyc_wasm_full.js (the full glue) and lite/node's glue,
  // and each Node glue reads its hash-named .wasm when it is beside it (the base64 copy is for bundles).
  const fullGlue = existsSync(path.join(pkgDir(), "node/kyc_wasm_full.js")) ? [file("node/kyc_wasm_full.js")] : [];
  const node = { wasm: file("node/kyc_wasm_bg.wasm.js"), glue: sum(file("node/kyc_wasm.js"), ...fullGlue), esm: file("node/index.mjs") };
  const wasmFiles = (dir) => readdirSync(path.join(pkgDir(), dir)).filter((f) => f.endsWith(".wasm")).map((f) => file(`${dir}/${f}`));
  const nodeFiles = sum(...wasmFiles("node"), ...wasmFiles("lite/node"));
  const liteNodeFiles = [file("lite/node/kyc_wasm_bg.wasm.js"), file("lite/node/kyc_wasm.js")];
  const nodeTotal = sum(node.wasm, node.glue, node.esm, ...(fullGlue.length ? liteNodeFiles : [])); // the entry loads lite's glue too
  const liteWeb = { wasm: file("lite/browser/kyc_wasm_bg.wasm.js"), glue: file("lite/browser/kyc_wasm.js"), entry: file("lite/browser/index.js"), file: file("lite/web/kyc_wasm_bg.wasm") };
  const liteEntry = sum(liteWeb.wasm, liteWeb.glue, liteWeb.entry);
  const liteNode = sum(file("lite/node/kyc_wasm_bg.wasm.js"), file("lite/node/kyc_wasm.js"), file("lite/node/index.mjs"));

  // A scratch project whose node_modules/kyc-wasm is the built package.
  const scratch = path.join(HERE, ".scratch");
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(path.join(scratch, "node_modules"), { recursive: true });
  symlinkSync(pkgDir(), path.join(scratch, "node_modules", "kyc-wasm"), "dir");
  const bundle = await onePage(scratch, "kyc-wasm/server", "verifyTotWebhook");
  const page = bundle;
  const liteBundle = await onePage(scratch, "kyc-wasm/lite", "reasonIsPositive");
  const litePage = liteBundle;
  rmSync(scratch, { recursive: true, force: true });

  const row = (name, s) => `| ${name} | ${s.raw} (${kb(s.raw)}) | **${s.gzip} (${kb(s.gzip)})** |`;
  const table = [
    "#### Case 6: size (bytes; gzip -9)",
    "",
    "| artifact | raw | gzip -9 |",
    "|---|---:|---:|",
    row("web/kyc_wasm_bg.wasm (kyc-wasm/web's separate file)", web.file),
    row("browser/kyc_wasm_bg.wasm.js (the same bytes as hex)", web.wasm),
    row("browser/kyc_wasm.js (glue)", web.glue),
    row("browser/index.js", web.entry),
    row("**browser entry total, `kyc-wasm`** (target ≤ 30 KB gzip)", browserEntry),
    row("lite/web/kyc_wasm_bg.wasm", liteWeb.file),
    row("lite/browser/kyc_wasm_bg.wasm.js (hex)", liteWeb.wasm),
    row("lite/browser/kyc_wasm.js (glue)", liteWeb.glue),
    row("**browser entry total, `kyc-wasm/lite`**", liteEntry),
    row("node/kyc_wasm_bg.wasm.js (base64 since issue 16)", node.wasm),
    row("node/kyc_wasm.js + index.mjs (+ kyc_wasm_full.js)", sum(node.glue, node.esm)),
    row("node/ and lite/node/ kyc_wasm_bg.<hash>.wasm (what Node reads unbundled, issue 16 session 3)", nodeFiles),
    row("**Node build total**", nodeTotal),
    row("**lite Node build total**", liteNode),
    row("esbuild page (a service worker) importing only verifyTotWebhook from `kyc-wasm/server`: JS bundle", bundle),
    row("**that page (the bundle is all it loads)**", page),
    row("a page importing only reasonIsPositive from `kyc-wasm/lite`: JS bundle", liteBundle),
    row("**that page (the bundle is all it loads)**", litePage),
  ].join("\n");
  return { data: { web, browserEntry, node, nodeTotal, liteWeb, liteEntry, liteNode, bundle, page, liteBundle, litePage }, table };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log((await sizes()).table);
}
