// `postgresStore(pool, options)`: webhook de-duplication and ordering state in PostgreSQL, shared by every
// instance of a webhook endpoint. The caller passes a `pg` Pool (or a connected Client); this module does not
// import `pg`. Each operation is one statement (atomic under concurrency through `INSERT ... ON CONFLICT`),
// every value is a query parameter, and every time is the database's clock, so instances whose clocks
// disagree still agree on a lease. A client error (connection refused, database down) rejects as it is.
//
// Tables, created on first use unless `createTable: false`:
//   <table>            (key text PRIMARY KEY, owner text, done boolean, expires_at timestamptz)
//   <table>_positions  (subject text PRIMARY KEY, position text COLLATE "C", expires_at timestamptz)
// An event row is claimed while `owner` is set and `expires_at` (the lease) is ahead (a claim by the same
// owner renews it); done rows are kept
// until `expires_at` (the TTL). Positions compare in byte order (COLLATE "C"). Expired rows are swept now
// and then (every `sweepEvery` claims, a bounded DELETE).

import { KycError } from "./errors.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,49}$/;

function invalid(message) {
  return new KycError("INVALID_ARGUMENT", message);
}

function text(value, name) {
  if (typeof value !== "string" || value.length === 0) throw invalid(`${name} must be a non-empty string`);
  return value;
}

function millis(value, name) {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw invalid(`${name} must be a positive number of milliseconds`);
  }
  return Math.max(1, Math.ceil(value));
}

/** `table` or `schema.table`, each part a plain identifier, double-quoted in the SQL. */
function tableNames(name) {
  if (typeof name !== "string") throw invalid("options.table must be a string");
  const parts = name.split(".");
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
    throw invalid("options.table must be an identifier ([A-Za-z_][A-Za-z0-9_]*, at most 50), optionally schema.table");
  }
  const quote = (list) => list.map((p) => `"${p}"`).join(".");
  const positions = [...parts.slice(0, -1), `${parts.at(-1)}_positions`];
  return { events: quote(parts), positions: quote(positions), lockKey: `kyc-wasm:${name}` };
}

/**
 * @param {object} pool a `pg` Pool or connected Client (anything with `query(text, values)`)
 * @param {{table?: string, createTable?: boolean, sweepEvery?: number}} [options]
 */
export function postgresStore(pool, options = {}) {
  if (pool === null || typeof pool !== "object" || typeof pool.query !== "function") {
    throw invalid("postgresStore(pool): pass a pg Pool or Client");
  }
  if (options === null || typeof options !== "object") throw invalid("postgresStore options must be an object");
  const { events, positions, lockKey } = tableNames(options.table === undefined ? "kyc_wasm_webhooks" : options.table);
  const sweepEvery = options.sweepEvery === undefined ? 1000 : options.sweepEvery;
  if (!Number.isSafeInteger(sweepEvery) || sweepEvery < 0) throw invalid("options.sweepEvery must be an integer >= 0");

  // One implicit transaction (a multi-statement simple query), serialised by an advisory lock: two instances
  // starting at once would otherwise race in CREATE TABLE IF NOT EXISTS. The identifiers are validated above.
  const ddl = `
    SELECT pg_advisory_xact_lock(hashtext('${lockKey}'));
    CREATE TABLE IF NOT EXISTS ${events} (
      key text PRIMARY KEY,
      owner text,
      done boolean NOT NULL DEFAULT false,
      expires_at timestamptz NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${positions} (
      subject text PRIMARY KEY,
      position text COLLATE "C" NOT NULL,
      expires_at timestamptz NOT NULL
    );`;
  let ready = options.createTable === false ? Promise.resolve() : null;
  const prepare = () => {
    if (!ready) {
      ready = pool.query(ddl).then(
        () => undefined,
        (error) => {
          ready = null; // the database may come back: try again on the next call
          throw error;
        },
      );
    }
    return ready;
  };
  const query = async (sql, values) => {
    await prepare();
    return pool.query(sql, values);
  };

  const claimSql = `
    WITH claimed AS (
      INSERT INTO ${events} AS w (key, owner, done, expires_at)
      VALUES ($1, $2, false, clock_timestamp() + $3::double precision * interval '1 millisecond')
      ON CONFLICT (key) DO UPDATE
        SET owner = excluded.owner, done = false, expires_at = excluded.expires_at
        WHERE w.expires_at <= clock_timestamp() OR (w.owner = $2 AND NOT w.done)
      RETURNING 1
    )
    SELECT CASE
      WHEN EXISTS (SELECT 1 FROM claimed) THEN 'claimed'
      WHEN (SELECT done FROM ${events} WHERE key = $1) THEN 'done'
      ELSE 'busy'
    END AS outcome`;
  const doneSql = `
    INSERT INTO ${events} AS w (key, owner, done, expires_at)
    VALUES ($1, NULL, true, clock_timestamp() + $3::double precision * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE
      SET owner = NULL, done = true, expires_at = excluded.expires_at
      WHERE (w.owner = $2 AND NOT w.done) OR w.expires_at <= clock_timestamp()`;
  const releaseSql = `DELETE FROM ${events} WHERE key = $1 AND owner = $2 AND NOT done`;
  const advanceSql = `
    INSERT INTO ${positions} AS p (subject, position, expires_at)
    VALUES ($1, $2, clock_timestamp() + $3::double precision * interval '1 millisecond')
    ON CONFLICT (subject) DO UPDATE
      SET position = excluded.position, expires_at = excluded.expires_at
      WHERE p.position <= excluded.position OR p.expires_at <= clock_timestamp()
    RETURNING 1`;
  const sweepSql = `
    DELETE FROM ${events} WHERE key IN (
      SELECT key FROM ${events} WHERE expires_at < clock_timestamp() LIMIT 1000
    )`;

  let claims = 0;
  const sweep = () => {
    claims += 1;
    if (sweepEvery > 0 && claims % sweepEvery === 0) {
      // Housekeeping only: its failure must not fail a delivery.
      pool.query(sweepSql).catch(() => {});
    }
  };

  return {
    async claim(key, owner, leaseMs) {
      const values = [text(key, "key"), text(owner, "owner"), millis(leaseMs, "leaseMs")];
      const { rows } = await query(claimSql, values);
      sweep();
      const outcome = rows[0] && rows[0].outcome;
      if (outcome !== "claimed" && outcome !== "done" && outcome !== "busy") {
        throw new KycError("INVALID_ARGUMENT", "postgresStore: unexpected answer from the claim query");
      }
      return outcome;
    },
    async done(key, owner, ttlMs) {
      await query(doneSql, [text(key, "key"), text(owner, "owner"), millis(ttlMs, "ttlMs")]);
    },
    async release(key, owner) {
      await query(releaseSql, [text(key, "key"), text(owner, "owner")]);
    },
    async advance(subject, position, ttlMs) {
      if (typeof position !== "string") throw invalid("position must be a string");
      const { rows } = await query(advanceSql, [text(subject, "subject"), position, millis(ttlMs, "ttlMs")]);
      return rows.length === 1;
    },
  };
}
