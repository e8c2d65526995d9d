// Writes every ```ts code block of the README into src/readme-<n>.ts (numbered in order), and prints how many.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const [readme, outDir] = process.argv.slice(2);
const blocks = [...readFileSync(readme, "utf8").matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
mkdirSync(outDir, { recursive: true });
blocks.forEach((code, i) => writeFileSync(`${outDir}/readme-${i + 1}.ts`, code));
console.log(blocks.length);
