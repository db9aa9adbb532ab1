/**
 * Kysely's `SqliteDialect` on Deno's built-in `node:sqlite`: nothing to
 * download, no native addon, works in `deno compile`.
 *
 * The adapter only reshapes `DatabaseSync` into the better-sqlite3-like
 * interface `SqliteDialect` expects. The connection is opened in WAL mode
 * (readers never block the writer, so the admin CLI and a running server
 * share the file) with a busy timeout. A new file is created with mode 0600:
 * it holds password hashes. `synchronous` is `FULL` by default: a
 * committed transaction survives even a power cut. `NORMAL` (what `serve`
 * uses for its last-login stamps) skips the fsync on commit — each one costs
 * milliseconds on the event loop — and still survives any crash of the
 * process; only a power cut may lose the latest commits.
 *
 * @example
 * ```ts
 * import { Kysely, sql } from "kysely";
 * import { nodeSqliteDialect } from "./node_sqlite_dialect.ts";
 * const db = new Kysely<unknown>({ dialect: nodeSqliteDialect(":memory:") });
 * const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
 * console.assert(rows[0]?.one === 1);
 * await db.destroy();
 * ```
 * @module
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import {
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
} from "kysely";
import { StoreError } from "./store_error.ts";

/** How long a statement waits for another process's write lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens `path` (or `:memory:`) and returns a dialect for it.
 *
 * @throws {StoreError} `unavailable` when the file cannot be opened.
 */
export function nodeSqliteDialect(
  path: string,
  options: NodeSqliteOptions = {},
): SqliteDialect {
  return new SqliteDialect({ database: openNodeSqlite(path, options) });
}

/** Options of {@linkcode nodeSqliteDialect}. */
export interface NodeSqliteOptions {
  /** `full` (the default) or `normal`; see the module's notes. */
  synchronous?: "full" | "normal";
}

/** Opens the database and sets it up; the adapter Kysely will use. */
export function openNodeSqlite(
  path: string,
  options: NodeSqliteOptions = {},
): SqliteDatabase {
  const synchronous = options.synchronous === "normal" ? "NORMAL" : "FULL";
  let db: DatabaseSync;
  try {
    createPrivate(path);
    db = new DatabaseSync(path);
    db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(`PRAGMA synchronous = ${synchronous}`);
  } catch (error) {
    throw new StoreError(
      "unavailable",
      `cannot open database ${path}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
  return {
    close: () => db.close(),
    prepare: (sql: string) => statement(db, sql),
  };
}

/**
 * Creates a missing database file readable by its owner only. SQLite makes
 * the `-wal` and `-shm` files with the database file's own mode, so they are
 * private too. An existing file keeps the mode its owner gave it.
 */
function createPrivate(path: string): void {
  if (path === "" || path === ":memory:" || path.startsWith("file:")) return;
  try {
    Deno.openSync(path, { write: true, createNew: true, mode: 0o600 }).close();
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
}

function statement(db: DatabaseSync, sql: string): SqliteStatement {
  const stmt = db.prepare(sql);
  const args = (parameters: ReadonlyArray<unknown>) =>
    parameters as SQLInputValue[];
  return {
    // A statement that yields columns (SELECT, ... RETURNING) is a reader.
    reader: stmt.columns().length > 0,
    all: (parameters) => stmt.all(...args(parameters)),
    run: (parameters) => stmt.run(...args(parameters)),
    iterate: (parameters) => stmt.iterate(...args(parameters)),
  };
}
