// Raw HMACs (hmacSha256Hex, hmacSha1Base64) and the Token of Trust webhook functions that share their byte
// plumbing, in both builds, against node:crypto:
//
// - the Node build (pkg/node), which hands inputs above measured size thresholds to node:crypto natively
//   (src/wasm/native_hmac.rs), and kyc-wasm/server's browser entry (pkg/server: the edge build's wasm, whose
//   glue has no node:crypto to hand over, so it is pure wasm; since issue 16 the builds pages load have no
//   HMAC functions at all): every size that matters (block edges, each side of every threshold, 1 MB), every input form;
// - the pre-keyed state cache (src/secret.rs): alternating keys, keys that differ in their last byte, keys
//   longer than the block;
// - verifyTotWebhook on both paths: rotation lists, wrong and missing headers, limits, BOMs, bad UTF-8;
// - bad arguments: INVALID_ARGUMENT, no secret in any message, the module still working afterwards;
// - the Node build without node:crypto (a child process where loading it fails) falls back to wasm;
// - the builds pages load never mention node:crypto and have no HMAC export.
//
// Self-contained: expected answers come from node:crypto only. KYC_PKG_DIR tests a copy of pkg/.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PKG = process.env.KYC_PKG_DIR ? path.resolve(process.env.KYC_PKG_DIR) : path.join(ROOT, "pkg");
const NODE_BUILD = path.join(PKG, "node", "kyc_wasm.js");
const WEB_GLUE = path.join(PKG, "web", "kyc_wasm.js");
const WEB_WASM = path.join(PKG, "web", "kyc_wasm_bg.wasm");
const SERVER_GLUE = path.join(PKG, "server", "kyc_wasm.js");
for (const file of [NODE_BUILD, WEB_GLUE, WEB_WASM, SERVER_GLUE]) {
  if (!existsSync(file)) throw new Error(`pkg/ is not built (no ${file}): run \`bash scripts/build.sh\` first`);
}
const node = createRequire(import.meta.url)(NODE_BUILD);
// Instantiated at import from its embedded bytes.
const server = await import(pathToFileURL(SERVER_GLUE).href);
const BUILDS = [
  ["node", node],
  ["server (pure wasm)", server],
];

// The Node build's thresholds (src/wasm/native_hmac.rs): from these sizes up, node:crypto hashes.
const THRESHOLDS = { sha1: { bytes: 1536, text: 1280 }, sha256: { bytes: 384, text: 256 } };
const EDGES = [...new Set(Object.values(THRESHOLDS).flatMap((t) => [t.bytes, t.text]).flatMap((n) => [n - 1, n, n + 1]))];
const SIZES = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1024, ...EDGES, 32 * 1024 + 3, 100_000, 1 << 20];

const sha256Hex = (key, message) => createHmac("sha256", key).update(message).digest("hex");
const sha1Base64 = (key, message) => createHmac("sha1", key).update(message).digest("base64");
/** What node:crypto hashes for any of our input forms: strings as UTF-8, binary data at its range. */
const asNodeInput = (value) => {
  if (typeof value === "string") return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
};

const bytesOf = (n, seed = 1) => {
  const out = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
};
const ascii = (n) => "The quick brown fox {\"jumps\": [1, 2, 3]} over the lazy dog. ".repeat(Math.ceil(n / 60) + 1).slice(0, n);
// Every UTF-8 length (1-4 bytes) and both halves of a pair; cut at a unit count, so a pair may be split.
const multiByte = (n) => "aé€😀日本\u00ff".repeat(Math.ceil(n / 8) + 1).slice(0, n);
const loneSurrogates = (n) => "x\ud800y\udfffz\udbff".repeat(Math.ceil(n / 6) + 1).slice(0, n);

/** The message forms: strings of three kinds, and the same bytes as a Buffer, views at offsets, an ArrayBuffer. */
function forms(n) {
  const bytes = bytesOf(n, n + 7);
  const padded = new Uint8Array(n + 11);
  padded.set(bytes, 5);
  const out = [
    ["ASCII string", ascii(n)],
    ["multi-byte string", multiByte(n)],
    ["string with lone surrogates", loneSurrogates(n)],
    ["Buffer", bytes],
    ["Uint8Array subarray at offset 5", padded.subarray(5, 5 + n)],
    ["ArrayBuffer", bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + n)],
    ["DataView at offset 5", new DataView(padded.buffer, 5, n)],
  ];
  if (n % 2 === 0 && n <= 4096) out.push(["Int16Array (its bytes)", new Int16Array(padded.buffer.slice(5, 5 + n))]);
  return out;
}

function expectKycError(fn, code, { api, secrets = [], message } = {}) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error, `expected a KycError ${code}, got ${error === undefined ? "a return" : String(error)}`);
  assert.equal(error.name, "KycError", String(error));
  assert.equal(error.code, code, `${error.code}: ${error.message}`);
  if (message) assert.match(error.message, message);
  for (const secret of secrets) {
    for (const text of [error.message, String(error.stack), JSON.stringify(Object.getOwnPropertyDescriptors(error))]) {
      assert.ok(!text.includes(secret), `an error text contains a secret: ${text}`);
    }
  }
  if (api) assertWorks(api);
  return error;
}

function assertWorks(api) {
  assert.equal(api.hmacSha256Hex("key", "message"), sha256Hex("key", "message"));
  assert.equal(api.hmacSha1Base64("key", "message"), sha1Base64("key", "message"));
  const body = '{"operation":"isCleared"}';
  assert.deepEqual(api.verifyTotWebhook(body, sha1Base64("k", body), "k"), { operation: "isCleared" });
}

// ---------------------------------------------------------------------------------------------------------

describe("hmacSha256Hex and hmacSha1Base64 equal node:crypto", () => {
  for (const [build, api] of BUILDS) {
    test(`${build} build: every size and input form, string and binary keys`, () => {
      const keys = ["raw-hmac-key", "ключ-é-😀", Buffer.from([0, 1, 2, 255]), new Uint8Array(70).fill(9).subarray(3)];
      for (const n of SIZES) {
        for (const [form, message] of forms(n)) {
          const input = asNodeInput(message);
          for (const key of n > 100_000 ? keys.slice(0, 1) : keys) {
            const where = `${build}: ${form} of ${n}, key ${typeof key === "string" ? JSON.stringify(key) : `${key.length} bytes`}`;
            assert.equal(api.hmacSha256Hex(key, message), sha256Hex(asNodeInput(key), input), where);
            assert.equal(api.hmacSha1Base64(key, message), sha1Base64(asNodeInput(key), input), where);
          }
        }
      }
    });

    test(`${build} build: keys of every form and length, including longer than the 64-byte block`, () => {
      const message = ascii(100);
      for (const n of [1, 2, 31, 32, 63, 64, 65, 127, 128, 129, 300, 5000]) {
        for (const [form, key] of forms(n)) {
          const where = `${build}: key ${form} of ${n}`;
          assert.equal(api.hmacSha256Hex(key, message), sha256Hex(asNodeInput(key), message), where);
          assert.equal(api.hmacSha1Base64(key, message), sha1Base64(asNodeInput(key), message), where);
        }
      }
    });

    test(`${build} build: a lone surrogate hashes as U+FFFD, as Buffer.from writes it`, () => {
      for (const text of ["\ud800", "a\udc00b", "\udbff\udbff", "😀\ud83d", "\ud83d".repeat(3000)]) {
        const utf8 = Buffer.from(text, "utf8");
        assert.equal(api.hmacSha256Hex("k", text), sha256Hex("k", utf8));
        assert.equal(api.hmacSha1Base64(text, "m"), sha1Base64(utf8, "m"));
      }
    });
  }

  test("both builds agree on random inputs (random sizes around every threshold)", (t) => {
    const seed = process.env.KYC_TEST_SEED ? Number(process.env.KYC_TEST_SEED) >>> 0 : randomBytes(4).readUInt32LE(0);
    t.diagnostic(`KYC_TEST_SEED=${seed}`);
    let x = seed;
    const next = (n) => {
      x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
      return x % n;
    };
    for (let i = 0; i < 300; i++) {
      const n = next(2) ? next(2200) : EDGES[next(EDGES.length)] + next(5) - 2;
      const [, message] = forms(Math.max(0, n))[next(7)];
      const key = bytesOf(1 + next(150), i);
      const expected = [sha256Hex(key, asNodeInput(message)), sha1Base64(key, asNodeInput(message))];
      for (const [build, api] of BUILDS) {
        const where = `${build} case ${i} (KYC_TEST_SEED=${seed})`;
        assert.equal(api.hmacSha256Hex(key, message), expected[0], where);
        assert.equal(api.hmacSha1Base64(key, message), expected[1], where);
      }
    }
  });
});

describe("the pre-keyed state cache never mixes keys", () => {
  for (const [build, api] of BUILDS) {
    test(`${build} build: alternating keys, last-byte differences, long keys, more keys than cache slots`, () => {
      const long = "L".repeat(200);
      const keys = [
        "key-a",
        "key-b",
        "key-",
        long,
        `${long.slice(0, -1)}M`,
        "\0".repeat(64),
        "\0".repeat(65),
        Buffer.from("key-a"),
        Buffer.from("key-c"),
        ...Array.from({ length: 10 }, (_, i) => `rotating-${i}`),
      ];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < keys.length; i++) {
          // Small messages (the cached wasm path) and large ones (native in the Node build).
          for (const message of ["m", ascii(64), bytesOf(2000, i)]) {
            const key = keys[(i * (round + 1)) % keys.length];
            assert.equal(api.hmacSha256Hex(key, message), sha256Hex(key, message), `${build}: round ${round}, key ${i}`);
            assert.equal(api.hmacSha1Base64(key, message), sha1Base64(key, message), `${build}: round ${round}, key ${i}`);
            assert.equal(api.totWebhookSignature(message, typeof key === "string" ? key : key.toString()), sha1Base64(key, message));
          }
        }
      }
    });
  }
});

describe("bad arguments", () => {
  const SECRET = "hmac_secret_DO_NOT_PRINT_4815162342";
  for (const [build, api] of BUILDS) {
    test(`${build} build: an empty key, wrong types, detached and lying buffers are INVALID_ARGUMENT`, () => {
      const opts = { api, secrets: [SECRET] };
      for (const fn of [api.hmacSha256Hex, api.hmacSha1Base64]) {
        for (const key of ["", new Uint8Array(0), new ArrayBuffer(0), Buffer.alloc(10).subarray(4, 4)]) {
          expectKycError(() => fn(key, SECRET), "INVALID_ARGUMENT", { ...opts, message: /key is empty/ });
        }
        for (const bad of [undefined, null, 42, 1n, true, Symbol("s"), {}, [1, 2], () => 1, new Date(), [SECRET]]) {
          expectKycError(() => fn(bad, "m"), "INVALID_ARGUMENT", { ...opts, message: /^key must be a string, Uint8Array/ });
          expectKycError(() => fn(SECRET, bad), "INVALID_ARGUMENT", { ...opts, message: /^message must be a string, Uint8Array/ });
        }
        const detached = new ArrayBuffer(8);
        const detachedView = new Uint8Array(detached);
        structuredClone(detached, { transfer: [detached] });
        const lying = new Uint8Array(10);
        Object.defineProperty(lying, "byteLength", { value: 100 });
        const throwing = new Uint8Array(10);
        Object.defineProperty(throwing, "buffer", {
          get() {
            throw new Error(SECRET);
          },
        });
        for (const bad of [detached, detachedView, lying, throwing]) {
          expectKycError(() => fn(SECRET, bad), "INVALID_ARGUMENT", opts);
          expectKycError(() => fn(bad, "m"), "INVALID_ARGUMENT", opts);
        }
      }
      expectKycError(() => api.totWebhookSignature("{}", ""), "INVALID_ARGUMENT", { ...opts, message: /secret is empty/ });
      expectKycError(() => api.totWebhookSignature({ a: 1 }, SECRET), "INVALID_ARGUMENT", { ...opts, message: /raw body/ });
      expectKycError(() => api.totWebhookSignature(42, SECRET), "INVALID_ARGUMENT", { ...opts, message: /got a number/ });
      expectKycError(() => api.totWebhookSignature(ascii(5000), Buffer.from(SECRET)), "INVALID_ARGUMENT", { ...opts, message: /secret must be a string/ });
    });

    test(`${build} build: thousands of throwing calls leave the module working`, () => {
      const throwing = new Uint8Array(4);
      Object.defineProperty(throwing, "byteOffset", {
        get() {
          throw new Error("boom");
        },
      });
      for (let i = 0; i < 4000; i++) {
        for (const call of [() => api.hmacSha256Hex(throwing, "m"), () => api.hmacSha1Base64("k", throwing), () => api.hmacSha1Base64("", "m")]) {
          assert.throws(call, (e) => e.name === "KycError" && e.code === "INVALID_ARGUMENT");
        }
      }
      assertWorks(api);
    });
  }
});

describe("Token of Trust webhooks on both paths (wasm below the thresholds, node:crypto above)", () => {
  const SECRET = "tot_webhook_secret_DO_NOT_PRINT_271828";
  const OLD = "tot_webhook_secret_previous_DO_NOT_PRINT";
  const opts = { secrets: [SECRET, OLD] };
  /** A JSON body of exactly `units` UTF-16 units (at least 40). */
  const body = (units, filler = "x") => `${JSON.stringify({ operation: "isCleared", pad: filler.repeat(units) }).slice(0, units - 2)}"}`;
  const bodies = () =>
    [100, 1000, 1279, 1280, 1281, 1535, 1536, 1537, 20_000, 300_000].flatMap((n) => {
      const text = body(n);
      const multi = body(Math.floor(n / 2), "é€");
      return [
        [`string of ${text.length}`, text, text],
        [`Buffer of ${text.length}`, Buffer.from(text), text],
        [`multi-byte string of ${multi.length} units`, multi, multi],
        [`Uint8Array view of ${Buffer.byteLength(multi)}`, new Uint8Array(Buffer.from(` ${multi}`)).subarray(1), multi],
        [`ArrayBuffer of ${text.length}`, new Uint8Array(Buffer.from(text)).buffer, text],
      ];
    });

  for (const [build, api] of BUILDS) {
    test(`${build} build: signatures equal node:crypto; verification returns the parsed body`, () => {
      for (const [what, raw, text] of bodies()) {
        const sig = sha1Base64(SECRET, asNodeInput(raw));
        assert.equal(api.totWebhookSignature(raw, SECRET), sig, `${build}: ${what}`);
        const expected = JSON.parse(text);
        assert.deepEqual(api.verifyTotWebhook(raw, sig, SECRET), expected, `${build}: ${what}`);
        // Secret rotation: the signing secret anywhere in the list.
        assert.deepEqual(api.verifyTotWebhook(raw, sig, [OLD, SECRET]), expected, `${build}: ${what}, rotated`);
        assert.deepEqual(api.verifyTotWebhook(raw, ` ${sig}\n`, [SECRET, OLD], { maxBodyBytes: 1 << 21 }), expected);
      }
    });

    test(`${build} build: wrong and missing headers, wrong secrets and limits give the same codes as before`, () => {
      for (const [what, raw] of bodies()) {
        const sig = sha1Base64(SECRET, asNodeInput(raw));
        const len = asNodeInput(raw).length;
        const where = { ...opts, message: undefined };
        expectKycError(() => api.verifyTotWebhook(raw, sig, [OLD, "another-secret-x"]), "INVALID_SIGNATURE", where);
        expectKycError(() => api.verifyTotWebhook(raw, sha1Base64(OLD, "other"), [SECRET, OLD]), "INVALID_SIGNATURE", where);
        for (const header of [sig.slice(0, -4), "AAAA", "not base64!", `${sig}${sig}`, Buffer.from(sig, "base64").toString("hex")]) {
          expectKycError(() => api.verifyTotWebhook(raw, header, SECRET), "INVALID_SIGNATURE", where);
        }
        for (const header of [undefined, null, "", "  \t"]) {
          expectKycError(() => api.verifyTotWebhook(raw, header, [SECRET, OLD]), "MISSING_SIGNATURE", where);
        }
        // The size check comes before the header check.
        const tooLarge = expectKycError(() => api.verifyTotWebhook(raw, undefined, SECRET, { maxBodyBytes: Math.max(1, len - 1) }), len > 1 ? "BODY_TOO_LARGE" : "MISSING_SIGNATURE", where);
        if (len > 1 && typeof raw !== "string") assert.match(tooLarge.message, new RegExp(`body is ${len} bytes`), what);
        for (const secret of ["", [], [SECRET, ""], [SECRET, 42], 42]) {
          expectKycError(() => api.verifyTotWebhook(raw, sig, secret), "INVALID_ARGUMENT", where);
        }
      }
      assertWorks(api);
    });

    test(`${build} build: a string whose UTF-8 is over maxBodyBytes though its UTF-16 length is not`, () => {
      const text = JSON.stringify({ v: "€".repeat(3000) });
      const [units, bytes] = [text.length, Buffer.byteLength(text)]; // 3008 and 9008
      const sig = sha1Base64(SECRET, text);
      for (const max of [units, 5000, bytes - 1]) {
        const e = expectKycError(() => api.verifyTotWebhook(text, sig, SECRET, { maxBodyBytes: max }), "BODY_TOO_LARGE", opts);
        assert.match(e.message, new RegExp(`body is ${bytes} bytes`));
      }
      // Over even in UTF-16 units: reported in units, before the string is read (as before).
      expectKycError(() => api.verifyTotWebhook(text, sig, SECRET, { maxBodyBytes: units - 1 }), "BODY_TOO_LARGE", { ...opts, message: new RegExp(`body is ${units} bytes`) });
      assert.deepEqual(api.verifyTotWebhook(text, sig, SECRET, { maxBodyBytes: bytes }), JSON.parse(text));
    });

    test(`${build} build: a BOM is signed but not parsed; bad UTF-8 and bad JSON are MALFORMED_BODY`, () => {
      for (const n of [50, 1600, 40_000]) {
        const text = body(n);
        for (const raw of [`\ufeff${text}`, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])]) {
          assert.deepEqual(api.verifyTotWebhook(raw, sha1Base64(SECRET, raw), SECRET), JSON.parse(text));
        }
        const badUtf8 = Buffer.concat([Buffer.from(text.slice(0, -2)), Buffer.from([0xff, 0x22, 0x7d])]);
        expectKycError(() => api.verifyTotWebhook(badUtf8, sha1Base64(SECRET, badUtf8), SECRET), "MALFORMED_BODY", { ...opts, message: /UTF-8/ });
        const overlong = Buffer.concat([Buffer.from(text.slice(0, -2)), Buffer.from([0xc0, 0xaf, 0x22, 0x7d])]);
        expectKycError(() => api.verifyTotWebhook(overlong, sha1Base64(SECRET, overlong), SECRET), "MALFORMED_BODY", opts);
        const notJson = `${text}x`;
        expectKycError(() => api.verifyTotWebhook(notJson, sha1Base64(SECRET, notJson), SECRET), "MALFORMED_BODY", { ...opts, message: /JSON/ });
      }
      assertWorks(api);
    });
  }
});

describe("builds", () => {
  test("the builds pages load never mention node:crypto and have no HMAC export", async () => {
    assert.ok(!readFileSync(WEB_GLUE, "utf8").includes("node:crypto"));
    assert.ok(!readFileSync(WEB_WASM).includes("node:crypto"));
    const web = await import(pathToFileURL(WEB_GLUE).href);
    for (const name of ["hmacSha256Hex", "hmacSha1Base64", "totWebhookSignature", "verifyTotWebhook"]) assert.ok(!(name in web), name);
    // The service-worker entry's glue has no require left to hand node:crypto over: pure wasm.
    assert.ok(!/\brequire\(/.test(readFileSync(SERVER_GLUE, "utf8")));
  });

  // The Node build, in child processes where node:crypto is missing or broken for it: every size still hashes
  // correctly (in wasm). Expected values come from this process.
  const cases = [64, 1535, 1536, 5000, 1 << 20].map((n) => {
    const text = ascii(n);
    return { n, sha256: sha256Hex("k", text), sha1: sha1Base64("k", text) };
  });
  const child = (mode) => `
    const Module = require("node:module");
    const load = Module._load;
    Module._load = function (request, parent, isMain) {
      if ((request === "node:crypto" || request === "crypto") && parent && /kyc_wasm(_full)?\\.js$/.test(parent.filename)) {
        if (${JSON.stringify(mode)} === "missing") throw new Error("no crypto in this build of Node");
        if (${JSON.stringify(mode)} === "stub") return {};
        return { createHmac() { throw new Error("FIPS mode: no SHA-1"); } };
      }
      return load.apply(this, arguments);
    };
    const kyc = require(${JSON.stringify(NODE_BUILD)});
    const ascii = ${ascii.toString()};
    const out = ${JSON.stringify(cases)}.map(({ n, sha256, sha1 }) => {
      const text = ascii(n);
      const body = JSON.stringify({ t: text });
      return kyc.hmacSha256Hex("k", text) === sha256 && kyc.hmacSha1Base64("k", text) === sha1 &&
        kyc.totWebhookSignature(text, "k") === sha1 && kyc.verifyTotWebhook(Buffer.from(body), kyc.totWebhookSignature(body, "k"), ["x", "k"], { maxBodyBytes: 1 << 22 }).t === text;
    });
    console.log(JSON.stringify(out));
  `;
  test("the Node build hands exactly the inputs at or above its thresholds to node:crypto", () => {
    const script = `
      const Module = require("node:module");
      const load = Module._load;
      let calls = 0;
      Module._load = function (request, parent) {
        const real = load.apply(this, arguments);
        if (request === "node:crypto" && parent && /kyc_wasm(_full)?\\.js$/.test(parent.filename)) {
          return { createHmac: (...args) => (calls++, real.createHmac(...args)) };
        }
        return real;
      };
      const kyc = require(${JSON.stringify(NODE_BUILD)});
      const T = ${JSON.stringify(THRESHOLDS)};
      const native = (fn) => { const before = calls; fn(); return calls > before; };
      const out = [];
      for (const [alg, call] of [["sha1", kyc.hmacSha1Base64], ["sha256", kyc.hmacSha256Hex]]) {
        for (const [kind, make] of [["bytes", (n) => Buffer.alloc(n, 1)], ["text", (n) => "é".repeat(n)]]) {
          const t = T[alg][kind];
          out.push([alg, kind, native(() => call("k", make(t - 1))), native(() => call("k", make(t)))]);
        }
      }
      const body = (n) => JSON.stringify({ p: "x".repeat(n - 8) });
      for (const n of [T.sha1.bytes - 1, T.sha1.bytes]) {
        const b = body(n);
        const sig = kyc.totWebhookSignature(Buffer.from(b), "k");
        out.push(["tot", n, native(() => kyc.totWebhookSignature(Buffer.from(b), "k")), native(() => kyc.verifyTotWebhook(Buffer.from(b), sig, ["a", "k"]))]);
      }
      console.log(JSON.stringify(out));
    `;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), [
      ["sha1", "bytes", false, true],
      ["sha1", "text", false, true],
      ["sha256", "bytes", false, true],
      ["sha256", "text", false, true],
      ["tot", THRESHOLDS.sha1.bytes - 1, false, false],
      ["tot", THRESHOLDS.sha1.bytes, true, true],
    ]);
  });

  for (const mode of ["missing", "stub", "throwing"]) {
    test(`the Node build falls back to wasm when node:crypto is ${mode}`, () => {
      const run = spawnSync(process.execPath, ["-e", child(mode)], { encoding: "utf8", timeout: 120_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), cases.map(() => true));
    });
  }
});
