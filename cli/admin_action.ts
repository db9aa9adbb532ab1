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
import { chooseDb, DbChoiceError, type DbOptions } from "./db_choice.ts";
import { PasswordInputError } from "./password_input.ts";

/**
 * Opens the store the command's options name, runs `action`, closes the
 * store; exits 1 on known errors.
 */
export async function withStore(
  command: DbOptions,
  action: (store: Store) => Promise<void>,
): Promise<void> {
  let target = "";
  let store: Store;
  try {
    const choice = await chooseDb(command);
    target = choice.target;
    if (choice.warning !== null) {
      console.error(`switchboard: warning: ${choice.warning}`);
    }
    store = await openStore(target);
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
    console.error(`switchboard: ${redactSecrets(error.message, target)}`);
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
