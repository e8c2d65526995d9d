// Real, small documents of an exact size, made on the fly: a baseline JPEG (8x8 grey), a PNG (1x1) and a
// one-page PDF, each padded with the format's own comment/ancillary data so the size can be anything from a
// few hundred bytes to many megabytes. The padding is pseudo-random (seeded), so a corrupted or truncated
// upload cannot compare equal by accident. Browsers decode the JPEG and PNG (the browser test checks that).

import { deflateSync } from "node:zlib";

/** Deterministic bytes (xorshift32), so every run uploads the same documents. */
export function noise(length, seed = 1) {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const concat = (parts) => {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const bytes = (...values) => Uint8Array.from(values);
const u16 = (n) => bytes((n >> 8) & 0xff, n & 0xff);
const u32 = (n) => bytes((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const ascii = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));

// --- JPEG: SOI, JFIF APP0, COM padding, DQT, SOF0 8x8 greyscale, one-code DC and AC tables, one block. ---

const JPEG_HEAD = concat([
  bytes(0xff, 0xd8), // SOI
  bytes(0xff, 0xe0), u16(16), ascii("JFIF\0"), bytes(1, 1, 0), u16(1), u16(1), bytes(0, 0), // APP0
]);
const JPEG_TAIL = concat([
  bytes(0xff, 0xdb), u16(67), bytes(0), new Uint8Array(64).fill(1), // DQT 0, all ones
  bytes(0xff, 0xc0), u16(11), bytes(8), u16(8), u16(8), bytes(1, 1, 0x11, 0), // SOF0: 8x8, 1 component
  bytes(0xff, 0xc4), u16(20), bytes(0x00, 1, ...new Array(15).fill(0), 0x00), // DHT DC0: one 1-bit code, category 0
  bytes(0xff, 0xc4), u16(20), bytes(0x10, 1, ...new Array(15).fill(0), 0x00), // DHT AC0: one 1-bit code, EOB
  bytes(0xff, 0xda), u16(8), bytes(1, 1, 0x00, 0, 63, 0), // SOS
  bytes(0b0011_1111), // DC diff 0 ("0"), EOB ("0"), padded with ones: a flat grey block
  bytes(0xff, 0xd9), // EOI
]);

/** A valid JPEG of exactly `size` bytes (at least 200, or exactly the bare image). */
export function jpeg(size, seed = 1) {
  const bare = JPEG_HEAD.length + JPEG_TAIL.length;
  let pad = size - bare;
  if (pad !== 0 && pad < 4) throw new Error(`jpeg(${size}): sizes from ${bare + 4} up, or exactly ${bare}`);
  const segments = [];
  const filler = noise(Math.max(0, pad), seed);
  let used = 0;
  while (pad > 0) {
    // COM segments hold at most 65533 bytes; keep every one at least 1 byte long.
    let n = Math.min(65533, pad - 4);
    if (pad - (n + 4) > 0 && pad - (n + 4) < 5) n -= 5;
    segments.push(bytes(0xff, 0xfe), u16(n + 2), filler.subarray(used, used + n));
    used += n;
    pad -= n + 4;
  }
  const out = concat([JPEG_HEAD, ...segments, JPEG_TAIL]);
  if (out.length !== size) throw new Error(`jpeg(${size}) made ${out.length} bytes`);
  return out;
}

// --- PNG: signature, IHDR 1x1 RGB, a private ancillary padding chunk, IDAT, IEND. ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data) {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = concat([ascii(type), data]);
  return concat([u32(data.length), body, u32(crc32(body))]);
}
const PNG_SIGNATURE = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const PNG_IHDR = chunk("IHDR", concat([u32(1), u32(1), bytes(8, 2, 0, 0, 0)]));
const PNG_IDAT = chunk("IDAT", deflateSync(bytes(0, 0x2e, 0x8b, 0x57)));
const PNG_IEND = chunk("IEND", new Uint8Array(0));

/** A valid PNG of exactly `size` bytes. */
export function png(size, seed = 2) {
  const bare = PNG_SIGNATURE.length + PNG_IHDR.length + PNG_IDAT.length + PNG_IEND.length;
  const pad = size - bare;
  if (pad !== 0 && pad < 12) throw new Error(`png(${size}): sizes from ${bare + 12} up, or exactly ${bare}`);
  // "prVt": ancillary, private, safe to copy; decoders skip it.
  const padding = pad ? [chunk("prVt", noise(pad - 12, seed))] : [];
  const out = concat([PNG_SIGNATURE, PNG_IHDR, ...padding, PNG_IDAT, PNG_IEND]);
  if (out.length !== size) throw new Error(`png(${size}) made ${out.length} bytes`);
  return out;
}

// --- PDF: catalog, pages, one page, an unreferenced padding stream, a correct xref table. ---

function pdfWith(streamLength, seed) {
  const parts = [];
  const offsets = [];
  let at = 0;
  const push = (p) => {
    parts.push(p);
    at += p.length;
  };
  push(ascii("%PDF-1.4\n"));
  push(bytes(0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a)); // binary marker comment
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
  ];
  objects.forEach((body, i) => {
    offsets.push(at);
    push(ascii(`${i + 1} 0 obj\n${body}\nendobj\n`));
  });
  offsets.push(at);
  push(ascii(`4 0 obj\n<< /Length ${streamLength} >>\nstream\n`));
  push(noise(streamLength, seed));
  push(ascii("\nendstream\nendobj\n"));
  const xref = at;
  const rows = offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  push(ascii(`xref\n0 5\n0000000000 65535 f \n${rows}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  return concat(parts);
}

/** A valid one-page PDF of exactly `size` bytes. */
export function pdf(size, seed = 3) {
  let n = Math.max(0, size - pdfWith(0, seed).length);
  for (let i = 0; i < 8; i++) {
    const out = pdfWith(n, seed);
    if (out.length === size) return out;
    n += size - out.length;
    if (n < 0) break;
  }
  throw new Error(`pdf(${size}): cannot make exactly that size`);
}

/** The three document kinds, with the content type OST signs for them. */
export const KINDS = [
  { name: "jpeg", contentType: "image/jpeg", make: jpeg, ext: "jpg" },
  { name: "png", contentType: "image/png", make: png, ext: "png" },
  { name: "pdf", contentType: "application/pdf", make: pdf, ext: "pdf" },
];
