/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temp dir, the
 * server on 127.0.0.1 on a free port, removed on dispose. Run as the
 * `postgres` OS user when the tests run as root (PostgreSQL refuses root).
 *
 * `postgresAvailability()` is cheap (no server is started): test files call
 * it with top-level await and mark the PostgreSQL leg ignored, with the
 * reason in its name, where the binaries or a non-root user are missing. A
 * cluster that should start but does not fails the test, with its log.
 */
import pg from "pg";

/** Where the binaries are and who runs them, or why there are none. */
export type PostgresAvailability =
  | {
    readonly available: true;
    readonly bindir: string;
    readonly asUser: string | null;
  }
  | { readonly available: false; readonly reason: string };

/** A running cluster; `url(db)` names a database in it. */
export interface TestPostgres extends AsyncDisposable {
  readonly port: number;
  /**
   * `postgres://switchboard@127.0.0.1:port/db`, with `:password` after the
   * user when the cluster was started with one.
   */
  url(database?: string): string;
  /** Creates a fresh empty database and returns its URL. */
  freshDatabase(): Promise<string>;
  /** Stops the server at once (clients see their connections refused). */
  stop(): Promise<void>;
  /** Starts it again on the same port, after {@linkcode stop}. */
  restart(): Promise<void>;
}

const SUPERUSER = "switchboard";

/** Finds the PostgreSQL server binaries (Debian's layout first, then PATH). */
export async function postgresAvailability(): Promise<PostgresAvailability> {
  const bindir = await findBindir();
  if (bindir === null) {
    return {
      available: false,
      reason: "PostgreSQL server binaries not found (run .ci/install-services)",
    };
  }
  if (Deno.uid() !== 0) return { available: true, bindir, asUser: null };
  const user = await run(["id", "-u", "postgres"]);
  if (!user.ok) {
    return {
      available: false,
      reason:
        "running as root and there is no postgres OS user to run the server",
    };
  }
  return { available: true, bindir, asUser: "postgres" };
}

async function findBindir(): Promise<string | null> {
  const versions: number[] = [];
  try {
    for await (const entry of Deno.readDir("/usr/lib/postgresql")) {
      if (/^\d+$/.test(entry.name)) versions.push(Number(entry.name));
    }
  } catch {
    // not Debian's layout
  }
  for (const version of versions.sort((a, b) => b - a)) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (await exists(`${dir}/initdb`) && await exists(`${dir}/pg_ctl`)) {
      return dir;
    }
  }
  const which = await run(["sh", "-c", "command -v initdb"]);
  if (which.ok) {
    const dir = which.stdout.trim().replace(/\/initdb$/, "");
    if (await exists(`${dir}/pg_ctl`)) return dir;
  }
  return null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function run(
  args: string[],
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(args[0]!, {
      args: args.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return {
      ok: out.success,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } catch (error) {
    return { ok: false, stdout: "", stderr: String(error) };
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Options of {@linkcode startPostgres}. */
export interface StartPostgresOptions {
  /**
   * Make connections over TCP prove this password (scram-sha-256) instead of
   * being trusted; it is URL-encoded into {@linkcode TestPostgres.url}.
   */
  password?: string;
}

/** Starts a cluster; fails with the server's log if it does not come up. */
export async function startPostgres(
  where: PostgresAvailability & { available: true },
  options: StartPostgresOptions = {},
): Promise<TestPostgres> {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-pg-" });
  const data = `${dir}/data`;
  const auth = ["--auth=trust"];
  if (options.password !== undefined) {
    await Deno.writeTextFile(`${dir}/pwfile`, options.password + "\n");
    auth.splice(
      0,
      1,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      `--pwfile=${dir}/pwfile`,
    );
  }
  const as = (args: string[]) =>
    where.asUser === null
      ? args
      : ["runuser", "-u", where.asUser, "--", ...args];
  if (where.asUser !== null) {
    const chown = await run(["chown", where.asUser, dir]);
    if (!chown.ok) throw new Error(`chown ${dir}: ${chown.stderr}`);
  }
  const init = await run(as([
    `${where.bindir}/initdb`,
    "-D",
    data,
    "-U",
    SUPERUSER,
    ...auth,
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]));
  if (!init.ok) {
    await Deno.remove(dir, { recursive: true });
    throw new Error(`initdb failed: ${init.stderr}${init.stdout}`);
  }
  let port = 0;
  let started = false;
  let lastError = "";
  const startOn = (port: number) =>
    run(as([
      `${where.bindir}/pg_ctl`,
      "-D",
      data,
      "-l",
      `${dir}/server.log`,
      "-w",
      "-t",
      "60",
      "-o",
      `-p ${port} -h 127.0.0.1 -k ${dir} -F -c max_connections=200`,
      "start",
    ]));
  const stop = () =>
    run(as([
      `${where.bindir}/pg_ctl`,
      "-D",
      data,
      "-m",
      "immediate",
      "-w",
      "stop",
    ]));
  // The port is free when picked but may be taken before the server binds.
  for (let attempt = 0; attempt < 5 && !started; attempt++) {
    port = freePort();
    const start = await startOn(port);
    started = start.ok;
    if (!started) {
      lastError = start.stderr + await Deno.readTextFile(`${dir}/server.log`)
        .catch(() => "");
    }
  }
  if (!started) {
    await Deno.remove(dir, { recursive: true });
    throw new Error(`PostgreSQL did not start: ${lastError}`);
  }
  const secret = options.password === undefined
    ? ""
    : `:${encodeURIComponent(options.password)}`;
  const url = (database = "postgres") =>
    `postgres://${SUPERUSER}${secret}@127.0.0.1:${port}/${database}`;
  let serial = 0;
  return {
    port,
    url,
    async freshDatabase() {
      const name = `t${++serial}_${crypto.randomUUID().slice(0, 8)}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      const result = await stop();
      if (!result.ok) throw new Error(`pg_ctl stop failed: ${result.stderr}`);
    },
    async restart() {
      const result = await startOn(port);
      if (!result.ok) throw new Error(`pg_ctl start failed: ${result.stderr}`);
    },
    async [Symbol.asyncDispose]() {
      await stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
