// Two webhook handler PROCESSES behind one shared store (a real redis-server, a real PostgreSQL), as two
// instances behind a load balancer: retries that land on the other instance, the same event delivered to both
// at once, an instance killed while onEvent is pending, and replays of old events after restarts. onEvent
// appends to one log file (O_APPEND) shared by both processes; the assertions count its lines.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres, startRedis } from "./servers.mjs";
import {
  Instance,
  eventCounts,
  nowSeconds,
  ostDelivery,
  ostEvent,
  readLog,
  sleep,
  totBody,
  totDelivery,
  waitForLog,
} from "./cluster.mjs";

// Short lease and onEvent timeout, so that a crashed instance's claim runs out within the test.
const LEASE_MS = 2500;
const HANDLER_OPTIONS = { leaseMs: LEASE_MS, onEventTimeoutMs: 1000 };

let redis;
let postgres;
const tmp = mkdtempSync(path.join(os.tmpdir(), "kyc-multi-"));

before(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
});

after(async () => {
  await Promise.all([redis?.close(), postgres?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

const backends = [
  // Instance A on node-redis and B on ioredis: the two client libraries share the same keys.
  { name: "Redis (node-redis + ioredis)", a: { store: "node-redis" }, b: { store: "ioredis" } },
  { name: "PostgreSQL (pg)", a: { store: "postgres" }, b: { store: "postgres" } },
];

let serial = 0;
for (const backend of backends) {
  describe(`two handler processes behind ${backend.name}`, () => {
    let a;
    let b;
    let log;
    let hangOst; // OST webhook ids are integers
    // Numeric (OST ids are integers) and well under 2^53.
    const idBase = () => String((Date.now() % 1e8) * 1000 + (++serial % 1000));

    before(async () => {
      const n = ++serial;
      log = path.join(tmp, `log-${n}.jsonl`);
      hangOst = String(990000 + n);
      const shared = {
        redisUrl: redis.url,
        postgresUrl: postgres.connectionString,
        prefix: `multi-${n}:`,
        table: `multi_${n}`,
        log,
        delayMs: 40,
        handlerOptions: HANDLER_OPTIONS,
      };
      a = new Instance("A", { ...shared, ...backend.a, hang: [hangOst, "hang-tot"] });
      b = new Instance("B", { ...shared, ...backend.b });
      await Promise.all([a.start(), b.start()]);
    });

    after(async () => {
      await Promise.all([a?.kill(), b?.kill()]);
    });

    test("a retry that lands on the other instance is answered as a duplicate, onEvent runs once", async () => {
      const id = idBase();
      const t = nowSeconds();
      const first = await a.send(ostDelivery(ostEvent(id, t, { userId: `u${id}` })));
      assert.equal(first.status, 200, JSON.stringify(first));
      // OST re-signs every attempt with a fresh request_timestamp and keeps the id.
      const retry = await b.send(ostDelivery(ostEvent(id, t, { userId: `u${id}` }), { timestamp: t + 1 }));
      assert.equal(retry.status, 200, JSON.stringify(retry));
      assert.equal(retry.json?.duplicate, true, JSON.stringify(retry.json));

      const body = totBody(`tot-${id}`, t, { user: `tot-user-${id}` });
      assert.equal((await b.send(totDelivery(body))).status, 200);
      const totRetry = await a.send(totDelivery(body));
      assert.equal(totRetry.status, 200);
      assert.equal(totRetry.json?.duplicate, true, JSON.stringify(totRetry.json));

      const counts = eventCounts(readLog(log));
      assert.equal(counts.get(id), 1, "OST event reached onEvent once");
      assert.equal(counts.get(`tot-${id}`), 1, "TOT event reached onEvent once");
    });

    test("the same event delivered to both instances at once reaches onEvent exactly once", async () => {
      const t = nowSeconds();
      const deliveries = [];
      for (let i = 0; i < 20; i++) {
        const id = `${idBase()}${i}`;
        deliveries.push({ id, make: (ts) => ostDelivery(ostEvent(id, t, { userId: `race${id}` }), { timestamp: ts }) });
      }
      for (let i = 0; i < 10; i++) {
        const id = `tot-race-${idBase()}${i}`;
        const body = totBody(id, t, { user: `race-user-${id}` });
        deliveries.push({ id, make: () => totDelivery(body) });
      }
      let raced = 0;
      for (const { make } of deliveries) {
        const answers = await Promise.all([a.send(make(t)), b.send(make(t))]);
        if (answers.some((r) => r.status !== 200 || r.json?.duplicate)) raced++;
        assert.ok(answers.some((r) => r.status === 200), JSON.stringify(answers));
        // The provider retries what was not answered 200: a retry is never processed twice either.
        for (const r of answers) if (r.status !== 200) assert.equal((await b.send(make(t + 1))).status, 200);
      }
      assert.ok(raced >= deliveries.length / 2, `both instances saw the same event at once (${raced})`);
      const counts = eventCounts(readLog(log));
      for (const { id } of deliveries) assert.equal(counts.get(id), 1, `${id} reached onEvent ${counts.get(id) ?? 0} times`);
    });

    test("an instance killed between claim and done: the event is redelivered after the lease", async () => {
      const t = nowSeconds();
      const ost = ostEvent(hangOst, t, { userId: `crash-${idBase()}` });
      const tot = totBody("hang-tot", t, { user: `crash-${idBase()}` });
      for (const delivery of [() => ostDelivery(ost, { timestamp: nowSeconds() }), () => totDelivery(tot)]) {
        const pending = a.send(delivery());
        const records = await waitForLog(log, (rs) => rs.filter((r) => r.kind === "pending").length > 0 && rs.some((r) => r.kind === "pending" && r.pid === a.child?.pid));
        const id = records.filter((r) => r.kind === "pending").at(-1).id;
        await a.kill(); // SIGKILL while onEvent is pending: A held the claim and never marked it done
        assert.equal((await pending).status, 0, "the provider saw the connection die, no 200");
        const during = await b.send(delivery());
        assert.notEqual(during.status, 200, `while A's lease lives, B does not acknowledge ${JSON.stringify(during)}`);
        assert.equal(eventCounts(readLog(log)).get(id), undefined);
        await sleep(LEASE_MS + 300);
        const after = await b.send(delivery());
        assert.equal(after.status, 200, JSON.stringify(after));
        assert.equal(after.json?.duplicate, undefined);
        await waitForLog(log, (rs) => rs.some((r) => r.kind === "event" && r.id === id && r.instance === "B"));
        assert.equal(eventCounts(readLog(log)).get(id), 1);
        const again = await b.send(delivery());
        assert.equal(again.json?.duplicate, true, "done now: a further retry is a duplicate");
        await a.start();
      }
    });

    test("a replayed older event cannot override newer state after both processes restart", async () => {
      const t = nowSeconds();
      const user = `order-${idBase()}`;
      const newer = ostEvent(`${idBase()}2`, t - 10, { userId: user, status: "denied" });
      const older = ostEvent(`${idBase()}1`, t - 60, { userId: user, status: "approved" });
      assert.equal((await a.send(ostDelivery(newer))).status, 200);
      const newTot = totBody(`tot-new-${user}`, t - 10, { user, cleared: false });
      const oldTot = totBody(`tot-old-${user}`, t - 60, { user, cleared: true });
      assert.equal((await b.send(totDelivery(newTot))).status, 200);

      await Promise.all([a.kill(), b.kill()]);
      await Promise.all([a.start(), b.start()]);

      for (const target of [a, b]) {
        const r = await target.send(ostDelivery(older, { timestamp: nowSeconds() }));
        assert.equal(r.status, 200, `an older event is acknowledged so it is not retried forever: ${JSON.stringify(r)}`);
        const rt = await target.send(totDelivery(oldTot));
        assert.equal(rt.status, 200, JSON.stringify(rt));
      }
      // The newest events replayed verbatim after the restarts are still duplicates.
      assert.equal((await b.send(ostDelivery(newer))).json?.duplicate, true);
      assert.equal((await a.send(totDelivery(newTot))).json?.duplicate, true);
      await sleep(100);
      const records = readLog(log).filter((r) => r.kind === "event" && !r.stale);
      const seen = records.map((r) => r.id);
      assert.ok(seen.includes(newer.id) && seen.includes(`tot-new-${user}`));
      assert.ok(!seen.includes(older.id), "the older OST event did not reach onEvent as current");
      assert.ok(!seen.includes(`tot-old-${user}`), "the older TOT event did not reach onEvent as current");
      assert.equal(eventCounts(readLog(log)).get(newer.id), 1);
    });
  });
}
