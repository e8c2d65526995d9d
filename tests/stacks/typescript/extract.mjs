// Writes every ```ts code block of the README into src/readme-<n>.ts (numbered in order), and prints how many.
// Blocks written for Deno (imports of "npm:" or "jsr:" specifiers) are left to the deno row (`deno check`):
// Node's TypeScript cannot resolve those specifiers.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const [readme, outDir] = process.argv.slice(2);
const blocks = [...readFileSync(readme, "utf8").matchAll(/^```ts\n([\s\S]*?)^```$/gm)]
  .map((m) => m[1])
  .filter((code) => !/from\s+["'](npm|jsr):/.test(code));
mkdirSync(outDir, { recursive: true });
blocks.forEach((code, i) => writeFileSync(`${outDir}/readme-${i + 1}.ts`, code));
console.log(blocks.length);
