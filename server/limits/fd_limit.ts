/**
 * Warns at start when the process may open fewer files than the connection
 * limit needs. Past the file limit, accept fails (EMFILE) and Deno's
 * `node:net` listener has been seen to stop accepting for good, so the
 * connection limit must be the one that is reached first.
 *
 * @example
 * ```ts
 * import { createLogger } from "../logger.ts";
 * import { checkFileLimit, openFilesLimit } from "./fd_limit.ts";
 * const limits = "Max open files            1024                 4096                 files\n";
 * console.assert(openFilesLimit(limits) === 1024);
 * await checkFileLimit(100, createLogger({ level: "silent" }));
 * ```
 * @module
 */
import { errorField, type Logger } from "../logger.ts";

/** Files the server needs besides its connections (runtime, database, logs). */
export const FILE_HEADROOM = 256;

/** The soft "Max open files" limit from the text of `/proc/<pid>/limits`. */
export function openFilesLimit(procLimits: string): number | null {
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(procLimits);
  if (match === null) return null;
  return match[1] === "unlimited" ? Infinity : Number(match[1]);
}

/**
 * Logs `server.file_limit` (warn) when `maxConnections` plus
 * {@linkcode FILE_HEADROOM} exceeds the soft open-files limit. Where the limit
 * cannot be read (not Linux, no read permission) it logs that at debug level.
 */
export async function checkFileLimit(
  maxConnections: number,
  logger: Logger,
): Promise<void> {
  let soft: number | null = null;
  try {
    soft = openFilesLimit(await Deno.readTextFile("/proc/self/limits"));
  } catch (error) {
    logger.debug("server.file_limit_unknown", {
      error: errorField(error),
    });
    return;
  }
  if (soft !== null && soft < maxConnections + FILE_HEADROOM) {
    logger.warn("server.file_limit", {
      open_files: soft,
      max_connections: maxConnections,
      advice: `raise the open-files limit (LimitNOFILE) to at least ${
        maxConnections + FILE_HEADROOM
      }, or lower --max-connections`,
    });
  }
}
