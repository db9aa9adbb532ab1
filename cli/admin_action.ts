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
import { PasswordInputError } from "./password_input.ts";

/** `--db`: a SQLite file (the default) or a `postgres://` URL. */
export function dbOption() {
  return new Option(
    "--db <file|url>",
    "database: a SQLite file, or a postgres:// URL",
  ).default(DEFAULT_DB);
}

/** Opens the store, runs `action`, closes the store; exits 1 on known errors. */
export async function withStore(
  db: string,
  action: (store: Store) => Promise<void>,
): Promise<void> {
  let store: Store;
  try {
    store = await openStore(db);
  } catch (error) {
    return fail(error);
  }
  try {
    await action(store);
  } catch (error) {
    await store.close();
    return fail(error);
  }
  await store.close();
}

function fail(error: unknown): never {
  if (
    error instanceof StoreError || error instanceof AdminInputError ||
    error instanceof PasswordInputError
  ) {
    console.error(`switchboard: ${error.message}`);
    Deno.exit(1);
  }
  throw error;
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
