/**
 * `switchboard serve`: runs the relay until SIGINT or SIGTERM.
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts serve --host 127.0.0.1 --port 0 --auth open
 * ```
 * @module
 */
import { addLimitOptions } from "./limit_options.ts";
import { runServe } from "./serve_action.ts";
import { serveOptions } from "./serve_options.ts";

export { DEFAULT_PORT } from "./serve_options.ts";
export { noAccountsNotice } from "./no_accounts_notice.ts";

/** The `serve` subcommand. */
export function serveCommand() {
  const command = serveOptions().action(runServe);
  addLimitOptions(command);
  return command;
}
