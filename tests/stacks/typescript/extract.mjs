// Writes the README's code blocks for the TypeScript row and prints the counts as "<ts> <js> <js-browser>":
// - every ```ts block into src/readme-<n>.ts (numbered in order). Blocks written for Deno (imports of "npm:"
//   or "jsr:" specifiers) are left to the deno row (`deno check`): Node's TypeScript cannot resolve those.
// - every ```js block into js/readme-js-<n>.mjs (numbered in order among the js blocks), type-checked with
//   checkJs against readme-ambient.d.ts (the reader's own objects: `app`, `db`, `ostWebhook`...).
//   Blocks that import a function only the browser build has (the names kyc-wasm's index.d.ts re-exports from
//   "./browser/index.js") go to js-browser/ instead: a Node resolution (node16, nodenext) picks the exact Node
//   types for "kyc-wasm", where those functions do not exist; they are checked as a bundler project sees them.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const [readme, outDir, jsDir, browserDir, pkgTypes] = process.argv.slice(2);
const text = readFileSync(readme, "utf8");
const blocks = (lang) => [...text.matchAll(new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```$", "gm"))].map((m) => m[1]);

const ts = blocks("ts").filter((code) => !/from\s+["'](npm|jsr):/.test(code));
mkdirSync(outDir, { recursive: true });
ts.forEach((code, i) => writeFileSync(`${outDir}/readme-${i + 1}.ts`, code));

const browserLine = readFileSync(pkgTypes, "utf8").match(/export\s*\{([^}]*)\}\s*from\s*["']\.\/browser\/index\.js["']/);
if (!browserLine) throw new Error(`${pkgTypes}: no re-export from "./browser/index.js" (the browser-only functions)`);
const browserOnly = browserLine[1].split(",").map((s) => s.trim()).filter(Boolean);
const importsBrowserOnly = (code) =>
  [...code.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']kyc-wasm["']/g)].some((m) =>
    m[1].split(",").some((name) => browserOnly.includes(name.trim().split(/\s+as\s+/)[0])),
  );
let server = 0;
let browser = 0;
mkdirSync(jsDir, { recursive: true });
mkdirSync(browserDir, { recursive: true });
blocks("js").forEach((code, i) => {
  const dir = importsBrowserOnly(code) ? (browser++, browserDir) : (server++, jsDir);
  writeFileSync(`${dir}/readme-js-${i + 1}.mjs`, code);
});
console.log(`${ts.length} ${server} ${browser}`);
