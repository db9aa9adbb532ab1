/**
 * The REPL's history, kept across runs in a file: one line per entry,
 * oldest first, at most {@linkcode MAX_HISTORY_LINES}. Lines that hold a
 * password (a raw login `0:name:password`, `2:room:password`, …) are never
 * written.
 *
 * @example
 * ```ts
 * import { historyPath, shouldRemember } from "./history_file.ts";
 * console.assert(historyPath({ HOME: "/home/ada" }) === "/home/ada/.switchboard_history");
 * console.assert(!shouldRemember("0:ada:secret"));
 * ```
 * @module
 */
import { join } from "node:path";
import { maskSent } from "./secrets.ts";

/** Entries kept in the file. */
export const MAX_HISTORY_LINES = 1_000;

/**
 * Where history lives: `$SWITCHBOARD_HISTORY`, else
 * `~/.switchboard_history`; null when neither can be known.
 */
export function historyPath(env: Record<string, string | undefined>) {
  if (env.SWITCHBOARD_HISTORY) return env.SWITCHBOARD_HISTORY;
  const home = env.HOME ?? env.USERPROFILE;
  return home ? join(home, ".switchboard_history") : null;
}

/**
 * False for lines that must not be written down: those that carry a
 * password (raw `0:name:pw`, `1:pw`, `2:room:pw`; `/join ROOM PASSWORD`,
 * `/rooms PASSWORD`).
 */
export function shouldRemember(line: string): boolean {
  return line.trim() !== "" && maskSent(line) === line &&
    !/^\/(?:join\s+\S+|rooms)\s+\S/.test(line.trim());
}

/** The saved entries, newest first (the order `node:readline` takes). */
export async function loadHistory(
  path: string,
  max = MAX_HISTORY_LINES,
): Promise<string[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return text.split("\n").filter((l) => l !== "").slice(-max).reverse();
}

/** Writes `newestFirst` (trimmed to `max`), readable by the owner only. */
export async function saveHistory(
  path: string,
  newestFirst: readonly string[],
  max = MAX_HISTORY_LINES,
): Promise<void> {
  const lines = newestFirst.filter(shouldRemember).slice(0, max).reverse();
  await Deno.writeTextFile(path, lines.map((l) => l + "\n").join(""), {
    mode: 0o600,
  });
}
