// Lists a .wasm file's sections and its largest functions (by code size), with names from the "name"
// section when present. Use on the un-optimised cargo output (target/wasm32-unknown-unknown/release/*.wasm),
// which keeps names, to see what makes the shipped module big.
//   node bench/wasm-funcs.mjs <file.wasm> [top=40]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/wasm-funcs.mjs <file.wasm> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 40);
const buf = readFileSync(file);
let pos = 8;
const leb = () => {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return result;
};
const str = () => {
  const n = leb();
  const s = buf.toString("utf8", pos, pos + n);
  pos += n;
  return s;
};
const SECTIONS = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"];
let importedFuncs = 0;
const bodies = [];
const names = new Map();
const sections = [];
while (pos < buf.length) {
  const id = buf[pos++];
  const size = leb();
  const start = pos;
  let label = SECTIONS[id] ?? `#${id}`;
  if (id === 0) {
    const name = str();
    label = `custom:${name}`;
    if (name === "name") {
      while (pos < start + size) {
        const sub = buf[pos++];
        const subSize = leb();
        const subEnd = pos + subSize;
        if (sub === 1) {
          const count = leb();
          for (let i = 0; i < count; i++) {
            const idx = leb();
            names.set(idx, str());
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      str();
      str();
      const kind = buf[pos++];
      if (kind === 0) { leb(); importedFuncs++; }
      else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 3) { pos += 2; }
    }
  } else if (id === 10) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      const len = leb();
      bodies.push({ index: importedFuncs + i, size: len });
      pos += len;
    }
  }
  sections.push({ label, size });
  pos = start + size;
}
console.log(`${file}: ${buf.length} bytes`);
for (const s of sections) console.log(`  ${s.label.padEnd(32)} ${String(s.size).padStart(8)}`);
const total = bodies.reduce((a, b) => a + b.size, 0);
console.log(`\n${bodies.length} functions, ${total} bytes of code; top ${top}:`);
bodies.sort((a, b) => b.size - a.size);
for (const b of bodies.slice(0, top)) {
  const name = names.get(b.index) ?? `func[${b.index}]`;
  console.log(`${String(b.size).padStart(8)}  ${name.slice(0, 150)}`);
}
// Groups by crate prefix, roughly.
const groups = new Map();
for (const b of bodies) {
  const name = names.get(b.index) ?? "?";
  const m = name.match(/^(?:_<|<)?([a-zA-Z0-9_]+)(?:::|\.\.)/);
  const key = m ? m[1] : name.slice(0, 30);
  groups.set(key, (groups.get(key) ?? 0) + b.size);
}
console.log("\nby crate (approx):");
for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(v).padStart(8)}  ${k}`);
