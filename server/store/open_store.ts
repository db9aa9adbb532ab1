/**
 * Opens the store named by `--db`: a `postgres://` or `postgresql://` URL
 * means PostgreSQL, anything else is a SQLite file (`:memory:` for a
 * throwaway one). The schema is brought up to date before it is returned.
 *
 * @example
 * ```ts
 * import { openStore } from "./open_store.ts";
 * await using store = await openStore(":memory:");
 * console.assert((await store.countAccounts()) === 0);
 * ```
 * @module
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { KyselyStore } from "./kysely_store.ts";
import {
  describeTarget,
  dialectOf,
  parsePostgresUrl,
  redactSecrets,
} from "./db_target.ts";
import { migrateToLatest } from "./migrations.ts";
import { nodeSqliteDialect } from "./node_sqlite_dialect.ts";
import type { Database } from "./schema.ts";
import type { Store } from "./store.ts";
import { StoreError } from "./store_error.ts";

/** The `--db` default: a SQLite file in the working directory. */
export const DEFAULT_DB = "switchboard.db";

/** Connections one process keeps open to a PostgreSQL server. */
export const DEFAULT_PG_POOL_SIZE = 10;

/** Options of {@linkcode openStore}. */
export interface OpenStoreOptions {
  /** PostgreSQL connections kept by this process. */
  pgPoolSize?: number;
  /**
   * Errors of idle PostgreSQL connections (the server restarted, the
   * network dropped); the pool replaces the connection. `console.error` by
   * default.
   */
  onBackgroundError?: (error: Error) => void;
  /**
   * SQLite only: `full` (the default) fsyncs every commit; `normal` does not,
   * and still loses nothing when the process crashes (only a power cut may
   * lose the latest commits). `serve` uses `normal` so that recording a login
   * never stalls the event loop on the disk.
   */
  sqliteSynchronous?: "full" | "normal";
  /**
   * SQLite only: create the file when there is none (the default). The
   * commands that only read or change what is there pass false, so that a
   * mistyped `--db` is an error instead of a new, empty database.
   */
  create?: boolean;
}

/** `scheme://…`: a URL, not a file name. */
const URL_TARGET = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Opens and migrates the store at `target`. A new SQLite file is created
 * readable by its owner only (0600; SQLite gives its `-wal` and `-shm`
 * files the same mode). No message of the errors thrown holds the URL's
 * password.
 *
 * @throws {StoreError} `unsupported` for a URL that is not PostgreSQL's,
 * `missing` for a SQLite file that does not exist with `create: false`,
 * `unavailable` when it cannot be opened, reached or migrated, or when a
 * `postgres://` URL cannot be parsed.
 */
export async function openStore(
  target: string = DEFAULT_DB,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const dialect = dialectOf(target);
  const location = describeTarget(target);
  if (dialect === "sqlite" && URL_TARGET.test(target)) {
    throw new StoreError(
      "unsupported",
      `${foreignUrl(target)} is neither a SQLite file nor a postgres:// URL`,
    );
  }
  if (
    dialect === "sqlite" && options.create === false &&
    target !== ":memory:" && !await fileExists(target)
  ) {
    throw new StoreError("missing", `there is no database ${location}`);
  }
  let db: Kysely<Database>;
  if (dialect === "postgres") {
    // Parsed here first: the driver's own parse error would quote the URL.
    if (parsePostgresUrl(target) === null) {
      throw new StoreError(
        "unavailable",
        "the postgres:// database URL cannot be parsed (is the password URL-encoded?)",
      );
    }
    const pool = new pg.Pool({
      connectionString: target,
      max: options.pgPoolSize ?? DEFAULT_PG_POOL_SIZE,
    });
    const report = options.onBackgroundError ??
      ((error: Error) => console.error(redactSecrets(error.message, target)));
    pool.on("error", (error: Error) => {
      error.message = redactSecrets(error.message, target);
      report(error);
    });
    await reach(pool, location, target);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    db = new Kysely<Database>({
      dialect: nodeSqliteDialect(target, {
        synchronous: options.sqliteSynchronous,
      }),
    });
  }
  try {
    await migrateToLatest(db as Kysely<unknown>, dialect);
  } catch (error) {
    await db.destroy().catch(() => {});
    const why = error instanceof StoreError
      ? error.message
      : `cannot open database ${location}: ${
        error instanceof Error ? error.message : String(error)
      }`;
    throw new StoreError("unavailable", redactSecrets(why, target), {
      cause: error,
    });
  }
  return new KyselyStore(db, location, dialect);
}

/** Connects once, so that an unreachable server is not reported as a failed migration. */
async function reach(
  pool: pg.Pool,
  location: string,
  target: string,
): Promise<void> {
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreError(
      "unavailable",
      redactSecrets(
        `cannot reach PostgreSQL at ${location}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        target,
      ),
      { cause: error },
    );
  }
}

/** A URL of another database, without its password, for a message. */
function foreignUrl(target: string): string {
  try {
    const url = new URL(target);
    if (url.password !== "") url.password = "***";
    return url.toString().replace("%2A%2A%2A", "***");
  } catch {
    return `${target.slice(0, target.indexOf(":"))}://(unparsable URL)`;
  }
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
