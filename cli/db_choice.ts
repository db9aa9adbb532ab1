/**
 * Which database a command works on: `--db FILE|URL`, else the file named
 * by `--db-url-file FILE`, else `$SWITCHBOARD_DB`, else `switchboard.db`.
 * A PostgreSQL URL's password given with `--db` is visible to every local
 * user in `ps`; the file (mode 0600) and the environment variable (readable
 * by the same user only, in `/proc/<pid>/environ`) keep it private.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { chooseDb, dbOption, dbUrlFileOption } from "./db_choice.ts";
 * const command = new Command("x").addOption(dbOption()).addOption(dbUrlFileOption());
 * command.parse(["--db", "other.db"], { from: "user" });
 * console.assert((await chooseDb(command)).target === "other.db");
 * ```
 * @module
 */
import { Option } from "@commander-js/extra-typings";
import {
  DEFAULT_DB,
  dialectOf,
  type Logger,
  secretsOf,
} from "../server/mod.ts";

/** The environment variable that names the database. */
export const DB_ENV = "SWITCHBOARD_DB";

/** The most a `--db-url-file` may hold. */
const MAX_URL_FILE_BYTES = 64 * 1024;

/** `--db`: a SQLite file (the default) or a `postgres://` URL. */
export function dbOption() {
  return new Option(
    "--db <file|url>",
    "database: a SQLite file, or a postgres:// URL (a password here shows in ps: prefer --db-url-file or $SWITCHBOARD_DB)",
  ).env(DB_ENV).default(DEFAULT_DB);
}

/** `--db-url-file`: the same, read from a file. */
export function dbUrlFileOption() {
  return new Option(
    "--db-url-file <file>",
    "read the database (a SQLite file or a postgres:// URL with its password) from FILE",
  );
}

/** A command line that has the two options above. */
export interface DbOptions {
  opts(): { db?: string; dbUrlFile?: string };
  getOptionValueSource(key: "db"): string | undefined;
}

/** The database chosen, and where it came from. */
export interface DbChoice {
  /** What to open: a path or a URL, password included. */
  readonly target: string;
  /** `--db`, `--db-url-file`, `$SWITCHBOARD_DB`, or the default. */
  readonly origin: "flag" | "file" | "env" | "default";
  /** The `--db-url-file` path, when it came from one. */
  readonly file?: string;
  /** Something the operator should know (a file others can read), or null. */
  readonly warning: string | null;
}

/** A database choice that cannot be made; the message says what to change. */
export class DbChoiceError extends TypeError {
  /** Stable code for programs. */
  readonly code = "bad-db-choice";
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DbChoiceError";
  }
}

/**
 * Resolves the database from parsed options.
 *
 * @throws {DbChoiceError} when `--db` and `--db-url-file` are both given, or
 * the file cannot be read or is empty.
 */
export async function chooseDb(command: DbOptions): Promise<DbChoice> {
  const { db, dbUrlFile } = command.opts();
  const source = command.getOptionValueSource("db");
  if (dbUrlFile === undefined) {
    return {
      target: db ?? DEFAULT_DB,
      origin: source === "cli" ? "flag" : source === "env" ? "env" : "default",
      warning: null,
    };
  }
  if (source === "cli") {
    throw new DbChoiceError("give --db or --db-url-file, not both");
  }
  let bytes: Uint8Array;
  let mode: number | null;
  try {
    mode = (await Deno.stat(dbUrlFile)).mode;
    bytes = await Deno.readFile(dbUrlFile);
  } catch (error) {
    throw new DbChoiceError(
      `cannot read --db-url-file ${dbUrlFile}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (bytes.length > MAX_URL_FILE_BYTES) {
    throw new DbChoiceError(
      `--db-url-file ${dbUrlFile} is larger than ${MAX_URL_FILE_BYTES} bytes`,
    );
  }
  // One line; a trailing newline (and stray spaces around it) is not part of it.
  const target = new TextDecoder().decode(bytes).trim();
  if (target === "" || /[\r\n]/.test(target)) {
    throw new DbChoiceError(
      `--db-url-file ${dbUrlFile} must hold one line: a SQLite file or a postgres:// URL`,
    );
  }
  const others = mode !== null && (mode & 0o077) !== 0;
  return {
    target,
    origin: "file",
    file: dbUrlFile,
    warning: others && secretsOf(target).length > 0
      ? `${dbUrlFile} can be read by other users; make it private: chmod 600 ${dbUrlFile}`
      : null,
  };
}

/**
 * Logs `db.permissions` when an existing SQLite file can be read by other
 * users: it holds password hashes. (New files are created 0600.)
 */
export async function warnIfShared(
  target: string,
  logger: Logger,
): Promise<void> {
  if (dialectOf(target) !== "sqlite" || target === ":memory:") return;
  let mode: number | null = null;
  try {
    mode = (await Deno.stat(target)).mode;
  } catch {
    return; // not there yet: it will be created private
  }
  if (mode !== null && (mode & 0o077) !== 0) {
    logger.warn("db.permissions", {
      file: target,
      mode: `0${(mode & 0o777).toString(8)}`,
      advice: `other users can read the password hashes: chmod 600 ${target}`,
    });
  }
}
