// Real peers for the store tests: a redis-server and a PostgreSQL cluster on 127.0.0.1, on free ports, with their
// files in temp directories. Both are children of this process and are stopped by `stop()`, and also when this
// process exits (normally, by an uncaught error, or by SIGINT/SIGTERM), so a failing test leaves nothing behind.
//
// PostgreSQL refuses to run as root: when we are root, initdb and postgres run as the `postgres` OS user
// (spawned with its uid/gid) in a directory owned by it. Authentication is `trust` (local test cluster only).

import { spawn, spawnSync, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const children = new Set();
const dirs = new Set();

function cleanup() {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch {}
  }
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

async function waitFor(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

function track(child, name, log) {
  children.add(child);
  child.stdout?.on("data", (d) => log.push(String(d)));
  child.stderr?.on("data", (d) => log.push(String(d)));
  child.once("exit", () => children.delete(child));
  child.once("error", (e) => log.push(`${name}: ${e.message}`));
  return child;
}

function stopChild(child, signal = "SIGTERM", timeoutMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * Starts redis-server (no persistence) on a free port. `stop()` ends it; `start()` starts it again on the same
 * port (empty, as a restarted Redis without persistence is).
 */
export async function startRedis() {
  const bin = "redis-server";
  const dir = mkdtempSync(path.join(os.tmpdir(), "kyc-redis-"));
  dirs.add(dir);
  const port = await freePort();
  const log = [];
  let child = null;
  const server = {
    port,
    url: `redis://127.0.0.1:${port}`,
    log,
    async start() {
      child = track(
        spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
          stdio: ["ignore", "pipe", "pipe"],
        }),
        "redis-server",
        log,
      );
      await waitFor(async () => child.exitCode === null && (await canConnect(port)), `redis-server on ${port}: ${log.join("")}`);
    },
    async stop() {
      await stopChild(child);
      child = null;
    },
    /** Stops it for good and removes its directory. */
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
  await server.start();
  return server;
}

function postgresBin() {
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(path.join(base, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(base, versions[0], "bin");
  }
  const initdb = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  if (initdb) return path.dirname(initdb);
  throw new Error("PostgreSQL is not installed (scripts/setup.sh installs Debian's postgresql)");
}

/** uid/gid to run PostgreSQL as: ourselves, or the `postgres` user when we are root. */
function postgresUser() {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/**
 * Starts a fresh PostgreSQL cluster (initdb, then postgres) on a free port of 127.0.0.1, trust authentication,
 * user and database `postgres`. `stop()` / `start()` stop and restart the same cluster.
 */
export async function startPostgres() {
  const bin = postgresBin();
  const user = postgresUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), "kyc-pg-"));
  dirs.add(dir);
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, "data");
  const port = await freePort();
  const log = [];
  const env = { ...process.env, LC_ALL: "C", LANG: "C" };
  // The database's default collation is ICU's en-US, where "a" < "B" and "9" < "10" is still bytewise but
  // case is not: a store that compared positions without COLLATE "C" would get the order wrong. Plain C when
  // this PostgreSQL has no ICU.
  const initdb = (locale) =>
    spawnSync(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", ...locale, "--no-sync"], {
      ...user,
      env,
      cwd: dir,
      encoding: "utf8",
    });
  let init = initdb(["--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US"]);
  if (init.status !== 0) {
    rmSync(data, { recursive: true, force: true });
    init = initdb(["--locale=C"]);
  }
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout || init.error}`);
  let child = null;
  const server = {
    port,
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    log,
    async start() {
      child = track(
        spawn(
          path.join(bin, "postgres"),
          [
            "-D", data,
            "-p", String(port),
            "-k", dir,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off",
            "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off",
            "-c", "max_connections=200",
          ],
          { ...user, env, cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
        ),
        "postgres",
        log,
      );
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`postgres exited: ${log.join("")}`);
        if (!(await canConnect(port))) return false;
        const ready = spawnSync(path.join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres"], { env });
        return ready.status === 0;
      }, `postgres on ${port}`);
    },
    async stop() {
      // SIGINT: PostgreSQL's "fast" shutdown (disconnects clients, checkpoints, exits).
      await stopChild(child, "SIGINT");
      child = null;
    },
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
  await server.start();
  return server;
}

/** The server logs, for a failure message. */
export function tail(server, lines = 20) {
  return server.log.join("").split("\n").slice(-lines).join("\n");
}

