/**
 * The REPL's history, kept across runs in a file: one line per entry,
 * oldest first, at most {@linkcode MAX_HISTORY_LINES}. Raw login lines
 * (`0:name:password`) are never written: they hold a password.
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

/** False for lines that must not be written down (raw logins). */
export function shouldRemember(line: string): boolean {
  return line.trim() !== "" && !/^0:[^:]*:./.test(line);
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
