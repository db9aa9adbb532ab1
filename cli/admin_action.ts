/**
 * Shared by the admin commands: opening and closing the store named by
 * `--db` / `--db-url-file` / `$SWITCHBOARD_DB` around one action, and turning
 * known errors into one line on standard error (never with the database
 * URL's password) and exit code 1.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { withStore } from "./admin_action.ts";
 * import { dbOption, dbUrlFileOption } from "./db_choice.ts";
 * new Command("count").addOption(dbOption()).addOption(dbUrlFileOption())
 *   .action((_options, command) =>
 *     withStore(command, async (store) => console.log(await store.countAccounts()))
 *   );
 * ```
 * @module
 */
import {
  AdminInputError,
  openStore,
  redactSecrets,
  type Store,
  StoreError,
} from "../server/mod.ts";
import { errorText } from "./cli_error.ts";
import { chooseDb, DbChoiceError, type DbOptions } from "./db_choice.ts";
import { commandLine, programLine } from "./invocation.ts";
import { PasswordInputError } from "./password_input.ts";

/** Options of {@linkcode withStore}. */
export interface WithStoreOptions {
  /**
   * Create a SQLite database that does not exist yet: only the commands
   * that add something do; the others refuse a mistyped `--db`.
   */
  readonly create?: boolean;
}

/**
 * Opens the store the command's options name, runs `action`, closes the
 * store; on known errors prints the error and what to do next (never the
 * database URL's password), and exits 1.
 */
export async function withStore(
  command: DbOptions,
  action: (store: Store) => Promise<void>,
  options: WithStoreOptions = {},
): Promise<void> {
  let target = "";
  let store: Store;
  try {
    const choice = await chooseDb(command);
    target = choice.target;
    if (choice.warning !== null) {
      console.error(`switchboard: warning: ${choice.warning}`);
    }
    store = await openStore(target, { create: options.create ?? false });
  } catch (error) {
    return fail(error, target);
  }
  try {
    await action(store);
  } catch (error) {
    await store.close();
    return fail(error, target);
  }
  await store.close();
}

function fail(error: unknown, target: string): never {
  if (
    error instanceof StoreError || error instanceof AdminInputError ||
    error instanceof PasswordInputError || error instanceof DbChoiceError
  ) {
    console.error(
      errorText(
        redactSecrets(error.message, target),
        redactSecrets(adminHint(error, target), target),
      ),
    );
    Deno.exit(1);
  }
  throw error;
}

/** What to do next after an admin command's error. */
export function adminHint(
  error: StoreError | AdminInputError | PasswordInputError | DbChoiceError,
  db: string,
): string {
  if (error instanceof DbChoiceError) {
    return "give the database with --db, --db-url-file FILE or $SWITCHBOARD_DB (one of them)";
  }
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
