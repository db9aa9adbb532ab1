/**
 * What `serve` prints when its database holds no accounts.
 *
 * @example
 * ```ts ignore
 * import { noAccountsNotice } from "./no_accounts_notice.ts";
 * console.log(noAccountsNotice({ target: ":memory:", origin: "flag", warning: null }));
 * ```
 * @module
 */
import { commandLine } from "./invocation.ts";
import { DEFAULT_DB, describeTarget } from "../server/store/mod.ts";
import type { DbChoice } from "./db_choice.ts";

/**
 * What `serve` prints when no one can log in yet: how to add an account,
 * and how to let anyone in while trying it out. The suggested commands name
 * the database as it was given (never with a password).
 */
export function noAccountsNotice(choice: DbChoice): string {
  const db = choice.target;
  if (db === ":memory:") {
    return [
      "switchboard: the in-memory database holds no accounts, so no one can log in with --auth accounts.",
      "  Use a database file (--db FILE) and add accounts to it, or let anyone in:",
      `    ${commandLine("serve --auth open --db :memory:")}`,
    ].join("\n");
  }
  const shown = describeTarget(db);
  const dbFlag = choice.origin === "file"
    ? ` --db-url-file ${shellQuote(choice.file!)}`
    : choice.origin === "flag" && db !== DEFAULT_DB
    ? ` --db ${shellQuote(shown)}`
    : "";
  return [
    `switchboard: ${shown} holds no accounts yet, so no one can log in with --auth accounts.`,
    "  Add one (it asks for the password; or pipe it in with --password-stdin):",
    `    ${commandLine(`users add NAME${dbFlag}`)}`,
    "  Or, just to try it out, let anyone in with any name and password:",
    `    ${commandLine(`serve --auth open${dbFlag}`)}`,
  ].join("\n");
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text)
    ? text
    : `'${text.replaceAll("'", "'\\''")}'`;
}
