/**
 * Structured logs: one logfmt line per event, with a level.
 *
 * Connection events and limit hits are logged; relayed messages never are.
 *
 * @example
 * ```ts
 * import { createLogger } from "./logger.ts";
 * const lines: string[] = [];
 * const log = createLogger({ level: "info", write: (line) => lines.push(line) });
 * log.info("conn.open", { conn: 1, remote: "127.0.0.1:5000" });
 * console.assert(lines[0]!.includes("event=conn.open"));
 * ```
 * @module
 */

/** Log levels, most verbose first; `silent` logs nothing. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

/** Fields of one log line. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Writes structured log lines. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; standard error by default. */
  write?: (line: string) => void;
}

function quote(value: string | number | boolean): string {
  const text = String(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

/** Creates a logger that drops lines below `level`. */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => console.error(line));
  const at = (level: LogLevel) => (event: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    let line = `ts=${new Date().toISOString()} level=${level} event=${event}`;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) line += ` ${key}=${quote(value)}`;
    }
    write(line);
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}

/**
 * An error as a log field: its message, or with `stack` its stack trace
 * (for faults, where the place matters).
 */
export function errorField(error: unknown, stack = false): string {
  if (!(error instanceof Error)) return String(error);
  return stack ? error.stack ?? error.message : error.message;
}
