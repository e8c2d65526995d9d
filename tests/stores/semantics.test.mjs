// The webhook store contract (claim / done / release / advance), run against every store on real servers:
// redisStore over node-redis and over ioredis (a real redis-server), postgresStore over a pg Pool and a pg Client
// (a real PostgreSQL), and memoryStore when the package has it. The expected orders come from Buffer.compare,
// not from the stores.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startPostgres, startRedis } from "./servers.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const require = createRequire(import.meta.url);
const { createClient } = require("redis");
const Redis = require("ioredis");
const pg = require("pg");
const PKG = process.env.KYC_PKG ? path.resolve(process.env.KYC_PKG) : path.join(ROOT, "pkg");
const kyc = await import(pathToFileURL(path.join(PKG, "node", "index.mjs")).href);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let redis;
let postgres;
const closers = [];
const stores = [];
let run = 0;
const unique = (name) => `${name}-${process.pid}-${++run}`;

before(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const nodeRedis = await createClient({ url: redis.url }).connect();
  const ioredis = new Redis(redis.url, { lazyConnect: true });
  await ioredis.connect();
  const pool = new pg.Pool({ connectionString: postgres.connectionString, max: 20 });
  const client = new pg.Client({ connectionString: postgres.connectionString });
  await client.connect();
  // Idle connections see the server's shutdown at the end: not an error of any test.
  pool.on("error", () => {});
  client.on("error", () => {});
  closers.push(() => nodeRedis.quit(), () => ioredis.quit(), () => pool.end(), () => client.end());
  stores.push(
    { name: "redisStore(node-redis)", make: () => kyc.redisStore(nodeRedis, { prefix: unique("nr") + ":" }) },
    { name: "redisStore(ioredis)", make: () => kyc.redisStore(ioredis, { prefix: unique("io") + ":" }) },
    { name: "postgresStore(Pool)", make: () => kyc.postgresStore(pool, { table: unique("pool").replaceAll("-", "_") }) },
    { name: "postgresStore(Client)", make: () => kyc.postgresStore(client, { table: unique("client").replaceAll("-", "_") }) },
  );
  if (typeof kyc.memoryStore === "function") stores.push({ name: "memoryStore()", make: () => kyc.memoryStore() });
});

after(async () => {
  await Promise.allSettled(closers.map(async (close) => close()));
  await Promise.all([redis?.close(), postgres?.close()]);
});

/** Runs `body(store)` for every store (or only the shared ones), as subtests. */
function forEachStore(title, body, { sharedOnly = false } = {}) {
  test(title, async (t) => {
    assert.ok(stores.length >= 4, "the servers and clients are up");
    for (const { name, make } of stores) {
      if (sharedOnly && name.startsWith("memoryStore")) continue;
      await t.test(name, () => body(make()));
    }
  });
}

forEachStore("claim, busy, done, and done is remembered", async (store) => {
  assert.equal(await store.claim("ev-1", "a", 10_000), "claimed");
  assert.equal(await store.claim("ev-1", "b", 10_000), "busy");
  assert.equal(await store.claim("ev-2", "b", 10_000), "claimed", "another key is independent");
  await store.done("ev-1", "a", 60_000);
  assert.equal(await store.claim("ev-1", "b", 10_000), "done");
  assert.equal(await store.claim("ev-1", "a", 10_000), "done");
  // done on a key nobody claimed marks it too
  await store.done("ev-3", "z", 60_000);
  assert.equal(await store.claim("ev-3", "a", 10_000), "done");
});

forEachStore("a claim by the owner that holds it renews the lease", async (store) => {
  assert.equal(await store.claim("ev", "a", 300), "claimed");
  await sleep(200);
  assert.equal(await store.claim("ev", "a", 400), "claimed");
  await sleep(200);
  assert.equal(await store.claim("ev", "b", 10_000), "busy", "the renewed lease still holds");
  await sleep(350);
  assert.equal(await store.claim("ev", "b", 10_000), "claimed");
});

forEachStore("release is owner-checked and lets a retry claim", async (store) => {
  assert.equal(await store.claim("ev", "a", 10_000), "claimed");
  await store.release("ev", "intruder");
  assert.equal(await store.claim("ev", "b", 10_000), "busy", "another owner's release changes nothing");
  await store.done("ev", "intruder", 60_000);
  assert.equal(await store.claim("ev", "b", 10_000), "busy", "another owner's done changes nothing");
  await store.release("ev", "a");
  assert.equal(await store.claim("ev", "b", 10_000), "claimed");
  await store.release("ev", "a");
  assert.equal(await store.claim("ev", "c", 10_000), "busy", "a stale owner cannot release the new claim");
  await store.done("ev", "b", 60_000);
  await store.release("ev", "b");
  assert.equal(await store.claim("ev", "c", 10_000), "done", "release after done keeps it done");
});

forEachStore("a lease expires, and the late owner cannot mark the new claim done", async (store) => {
  assert.equal(await store.claim("ev", "a", 300), "claimed");
  assert.equal(await store.claim("ev", "b", 300), "busy");
  await sleep(450);
  assert.equal(await store.claim("ev", "b", 10_000), "claimed", "the expired lease is taken over");
  await store.done("ev", "a", 60_000);
  assert.equal(await store.claim("ev", "c", 10_000), "busy", "a's done did not override b's live claim");
  await store.done("ev", "b", 60_000);
  assert.equal(await store.claim("ev", "c", 10_000), "done");
});

forEachStore("an expired lease that nobody took over can still be marked done by its owner", async (store) => {
  assert.equal(await store.claim("ev", "a", 200), "claimed");
  await sleep(350);
  await store.done("ev", "a", 60_000);
  assert.equal(await store.claim("ev", "b", 10_000), "done");
});

forEachStore("done is kept for ttlMs, then forgotten", async (store) => {
  assert.equal(await store.claim("ev", "a", 10_000), "claimed");
  await store.done("ev", "a", 300);
  assert.equal(await store.claim("ev", "b", 10_000), "done");
  await sleep(450);
  assert.equal(await store.claim("ev", "b", 10_000), "claimed");
});

forEachStore("50 concurrent claims of one key: exactly one is claimed", async (store) => {
  for (let round = 0; round < 3; round++) {
    const key = `hot-${round}`;
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => store.claim(key, `owner-${i}`, 10_000)));
    assert.equal(outcomes.filter((o) => o === "claimed").length, 1, outcomes.join(","));
    assert.equal(outcomes.filter((o) => o === "busy").length, 49);
    const winner = `owner-${outcomes.indexOf("claimed")}`;
    await store.done(key, winner, 60_000);
    const after = await Promise.all(Array.from({ length: 50 }, (_, i) => store.claim(key, `late-${i}`, 10_000)));
    assert.deepEqual(new Set(after), new Set(["done"]));
  }
});

const byteOrder = (a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

forEachStore("advance records positions in byte order, ties included", async (store) => {
  // Pairs whose byte order differs from numeric, case-insensitive, locale or length-first orders.
  const cases = [
    ["9", "10"],
    ["a", "B"],
    ["z", "\u00e9"],
    ["abc", "ab"],
    ["1700000000:0000000000000902", "1700000000:0000000000000901"],
    ["\u00e9", "\u{1F600}"],
    ["~", "\u007f"],
  ];
  let n = 0;
  for (const [first, second] of cases) {
    const subject = `s${n++}`;
    assert.equal(await store.advance(subject, first, 60_000), true, "the first position is recorded");
    const expected = byteOrder(second, first) >= 0;
    assert.equal(await store.advance(subject, second, 60_000), expected, `${JSON.stringify(first)} then ${JSON.stringify(second)}`);
    assert.equal(await store.advance(subject, expected ? second : first, 60_000), true, "a tie is not older");
  }
  assert.equal(await store.advance("other", "0", 60_000), true, "subjects are independent");
});

forEachStore("advance against a model: 300 random positions over 5 subjects", async (store) => {
  const alphabet = ["0", "1", "9", "a", "A", "z", ":", "\u00e9", "\u00ff", "\u4e2d"];
  let seed = 12345;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const model = new Map();
  for (let i = 0; i < 300; i++) {
    const subject = `u${random(5)}`;
    let position = "";
    for (let k = random(4) + 1; k > 0; k--) position += alphabet[random(alphabet.length)];
    const stored = model.get(subject);
    const expected = stored === undefined || byteOrder(position, stored) >= 0;
    if (expected) model.set(subject, position);
    assert.equal(await store.advance(subject, position, 60_000), expected, `step ${i}`);
  }
});

forEachStore("concurrent advances keep the greatest position", async (store) => {
  const positions = Array.from({ length: 40 }, (_, i) => `1700000000:${String(i * 7919 % 40).padStart(4, "0")}`);
  const results = await Promise.all(positions.map((p) => store.advance("hot", p, 60_000)));
  const max = [...positions].sort(byteOrder).at(-1);
  assert.equal(results[positions.indexOf(max)], true, "the greatest is never stale");
  assert.equal(await store.advance("hot", `1700000000:0038`, 60_000), false, "the greatest was kept");
  assert.equal(await store.advance("hot", max, 60_000), true);
});

forEachStore("a stored position expires after ttlMs", async (store) => {
  assert.equal(await store.advance("u", "b", 300), true);
  assert.equal(await store.advance("u", "a", 300), false);
  await sleep(450);
  assert.equal(await store.advance("u", "a", 60_000), true);
});

forEachStore("bad arguments reject with KycError INVALID_ARGUMENT", async (store) => {
  for (const call of [
    () => store.claim("", "a", 1000),
    () => store.claim("k", "", 1000),
    () => store.claim("k", "a", 0),
    () => store.claim("k", "a", Number.NaN),
    () => store.done("k", "a", -1),
    () => store.advance("s", 5, 1000),
    () => store.advance("", "p", 1000),
  ]) {
    await assert.rejects(call, (e) => e instanceof kyc.KycError && e.code === "INVALID_ARGUMENT");
  }
}, { sharedOnly: true });

test("constructors refuse what is not a client, and bad options", () => {
  const isInvalid = (e) => e instanceof kyc.KycError && e.code === "INVALID_ARGUMENT";
  for (const client of [undefined, null, 42, {}, { eval() {} }, { get() {}, set() {} }]) {
    assert.throws(() => kyc.redisStore(client), isInvalid);
  }
  for (const pool of [undefined, null, "postgres://", {}]) {
    assert.throws(() => kyc.postgresStore(pool), isInvalid);
  }
  const pool = { query: async () => ({ rows: [] }) };
  for (const table of ["bad name", "x; DROP TABLE y", 'a"b', "a.b.c", "", "1abc", "x".repeat(51)]) {
    assert.throws(() => kyc.postgresStore(pool, { table }), isInvalid, table);
  }
  assert.throws(() => kyc.redisStore({ defineCommand() {}, eval() {} }, { prefix: 5 }), isInvalid);
});

test("prefix and table options isolate stores; state outlives the client that wrote it", async () => {
  const a = await createClient({ url: redis.url }).connect();
  const one = kyc.redisStore(a, { prefix: "iso-1:" });
  assert.equal(await one.claim("k", "o", 10_000), "claimed");
  await one.done("k", "o", 60_000);
  await a.quit();
  const b = new Redis(redis.url);
  try {
    assert.equal(await kyc.redisStore(b, { prefix: "iso-1:" }).claim("k", "p", 10_000), "done", "a new client sees it");
    assert.equal(await kyc.redisStore(b, { prefix: "iso-2:" }).claim("k", "p", 10_000), "claimed", "another prefix does not");
    assert.equal(await b.get("iso-1:e:k"), "d", "keys are <prefix>e:<key>");
  } finally {
    b.disconnect();
  }

  const p1 = new pg.Pool({ connectionString: postgres.connectionString });
  const s1 = kyc.postgresStore(p1, { table: "iso_one" });
  assert.equal(await s1.claim("k", "o", 10_000), "claimed");
  await s1.done("k", "o", 60_000);
  assert.equal(await s1.advance("u", "5", 60_000), true);
  await p1.end();
  const p2 = new pg.Pool({ connectionString: postgres.connectionString });
  try {
    const s2 = kyc.postgresStore(p2, { table: "iso_one" });
    assert.equal(await s2.claim("k", "p", 10_000), "done", "a new pool sees it");
    assert.equal(await s2.advance("u", "4", 60_000), false);
    assert.equal(await kyc.postgresStore(p2, { table: "public.iso_two" }).claim("k", "p", 10_000), "claimed");
    const { rows } = await p2.query(
      "SELECT table_name, column_name, collation_name FROM information_schema.columns WHERE table_name LIKE 'iso_one%' ORDER BY 1, 2",
    );
    assert.deepEqual(
      rows.map((r) => `${r.table_name}.${r.column_name}${r.collation_name ? " " + r.collation_name : ""}`),
      ["iso_one.done", "iso_one.expires_at", "iso_one.key", "iso_one.owner", "iso_one_positions.expires_at", "iso_one_positions.position C", "iso_one_positions.subject"],
    );
  } finally {
    await p2.end();
  }
});

test("two stores creating the same table at once both work", async () => {
  const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: postgres.connectionString }));
  try {
    const outcomes = await Promise.all(pools.map((p, i) => kyc.postgresStore(p, { table: "raced" }).claim("k", `o${i}`, 10_000)));
    assert.deepEqual(outcomes.sort(), ["busy", "busy", "busy", "claimed"]);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
});

test("client errors reject: a stopped Redis, a closed pool, a SQL error", async () => {
  const spare = await startRedis();
  const nodeRedis = createClient({ url: spare.url, disableOfflineQueue: true, socket: { reconnectStrategy: false } });
  nodeRedis.on("error", () => {});
  await nodeRedis.connect();
  const ioredis = new Redis(spare.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  ioredis.on("error", () => {});
  await new Promise((resolve) => ioredis.once("ready", resolve));
  const viaNode = kyc.redisStore(nodeRedis);
  const viaIo = kyc.redisStore(ioredis);
  assert.equal(await viaNode.claim("k", "a", 1000), "claimed");
  await spare.close();
  await sleep(100);
  await assert.rejects(viaNode.claim("k2", "a", 1000));
  await assert.rejects(viaIo.claim("k2", "a", 1000));
  await assert.rejects(viaIo.advance("s", "1", 1000));
  ioredis.disconnect();

  const pool = new pg.Pool({ connectionString: postgres.connectionString });
  const store = kyc.postgresStore(pool, { table: "closed_pool" });
  assert.equal(await store.claim("k", "a", 1000), "claimed");
  await pool.end();
  await assert.rejects(store.claim("k2", "a", 1000));

  const pool2 = new pg.Pool({ connectionString: postgres.connectionString });
  try {
    const noTable = kyc.postgresStore(pool2, { table: "never_created", createTable: false });
    await assert.rejects(noTable.claim("k", "a", 1000), (e) => e.code === "42P01", "undefined_table from PostgreSQL, as it is");
  } finally {
    await pool2.end();
  }
});

test("the store modules import nothing but their siblings, and use no eval or new Function", () => {
  for (const file of ["store-redis.js", "store-postgres.js"]) {
    const source = readFileSync(path.join(ROOT, "pkg-template", "lib", file), "utf8").replace(/\/\/.*$/gm, "");
    const imports = [...source.matchAll(/^\s*import\b[^;]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]);
    assert.deepEqual(imports.filter((s) => !s.startsWith("./")), [], file);
    assert.doesNotMatch(source, /new\s+Function|(^|[^.\w])eval\s*\(|\brequire\s*\(|\bBuffer\b|\bprocess\./, file);
  }
});

// Since issue 16 the stores are in the builds that hold secrets: kyc-wasm/server (browser condition, e.g. a
// service worker) and the edge entries; the page builds (web/, browser/) have none.
test("the ES module copies in the server and edge builds load and work (no Node-only import)", async () => {
  const client = await createClient({ url: redis.url }).connect();
  try {
    for (const dir of ["server", "edge", "lite/edge"]) {
      const { redisStore } = await import(pathToFileURL(path.join(PKG, dir, "store-redis.js")).href);
      const { postgresStore } = await import(pathToFileURL(path.join(PKG, dir, "store-postgres.js")).href);
      assert.equal(await redisStore(client, { prefix: `${dir}:` }).claim("k", "o", 1000), "claimed", dir);
      assert.equal(typeof postgresStore({ query() {} }).advance, "function");
    }
  } finally {
    await client.quit();
  }
});
