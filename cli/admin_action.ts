/**
 * Shared by the admin commands: the `--db` option, opening and closing the
 * store around one action, and turning known errors into one line on
 * standard error and exit code 1.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { dbOption, withStore } from "./admin_action.ts";
 * new Command("count").addOption(dbOption()).action((o) =>
 *   withStore(o.db, async (store) => console.log(await store.countAccounts()))
 * );
 * ```
 * @module
 */
import { Option } from "@commander-js/extra-typings";
import {
  AdminInputError,
  DEFAULT_DB,
  openStore,
  type Store,
  StoreError,
} from "../server/mod.ts";
import { errorText } from "./cli_error.ts";
import { commandLine, programLine } from "./invocation.ts";
import { PasswordInputError } from "./password_input.ts";

/** `--db`: a SQLite file (the default) or a `postgres://` URL. */
export function dbOption() {
  return new Option(
    "--db <file|url>",
    "database: a SQLite file, or a postgres:// URL",
  ).default(DEFAULT_DB);
}

/** Options of {@linkcode withStore}. */
export interface WithStoreOptions {
  /**
   * Create a SQLite database that does not exist yet: only the commands
   * that add something do; the others refuse a mistyped `--db`.
   */
  readonly create?: boolean;
}

/**
 * Opens the store, runs `action`, closes the store; on known errors prints
 * the error and what to do next, and exits 1.
 */
export async function withStore(
  db: string,
  action: (store: Store) => Promise<void>,
  options: WithStoreOptions = {},
): Promise<void> {
  let store: Store;
  try {
    store = await openStore(db, { create: options.create ?? false });
  } catch (error) {
    return fail(error, db);
  }
  try {
    await action(store);
  } catch (error) {
    await store.close();
    return fail(error, db);
  }
  await store.close();
}

function fail(error: unknown, db: string): never {
  if (
    error instanceof StoreError || error instanceof AdminInputError ||
    error instanceof PasswordInputError
  ) {
    console.error(errorText(error.message, adminHint(error, db)));
    Deno.exit(1);
  }
  throw error;
}

/** What to do next after an admin command's error. */
export function adminHint(
  error: StoreError | AdminInputError | PasswordInputError,
  db: string,
): string {
  const list = commandLine(`${Deno.args[0] ?? "users"} list`);
  if (error instanceof StoreError) {
    switch (error.code) {
      case "duplicate":
        return `pick another name ('${list}' shows the names taken)`;
      case "not-found":
        return `check the name: '${list}' shows what this database holds`;
      case "missing":
        return `check --db (give serve's value), or create the database by adding to it: ${
          commandLine(`users add NAME --db ${db}`)
        }`;
      case "unsupported":
        return "--db takes a SQLite file (switchboard.db), :memory:, or a postgres://user:password@host:5432/name URL";
      default:
        return "check --db: for PostgreSQL, that the server runs and the URL (host, port, user, password, database) is right; for SQLite, that the file's directory exists and is writable";
    }
  }
  if (error instanceof AdminInputError) {
    return error.code === "invalid-name"
      ? "names are 1 to 64 bytes, without ':', ',' or control characters"
      : error.code === "invalid-password"
      ? "choose another password"
      : `'${
        commandLine(`${Deno.args.slice(0, 2).join(" ")} --help`)
      }' gives the range`;
  }
  switch (error.code) {
    case "no-terminal":
      return `pipe it in: echo 'PASSWORD' | ${programLine()} ${
        Deno.args.join(" ")
      } --password-stdin`;
    case "mismatch":
      return "run the command again and type the same password twice";
    case "aborted":
      return "run the command again to enter it";
    case "too-long":
      return "a password is one line on standard input";
  }
}

/** Formats rows as a left-aligned text table under `headers`. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length))
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** A time as `YYYY-MM-DD HH:MM:SS` in UTC. */
export function utc(date: Date | null, none = "never"): string {
  return date === null
    ? none
    : date.toISOString().slice(0, 19).replace("T", " ");
}
