/**
 * Structured logs: one line per event, with a level, in logfmt (the
 * default) or as one JSON object per line.
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

/** Line formats: `key=value` pairs, or one JSON object per line. */
export const LOG_FORMATS = ["logfmt", "json"] as const;
/** One of {@linkcode LOG_FORMATS}. */
export type LogFormat = typeof LOG_FORMATS[number];

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  level: LogLevel;
  /** `logfmt` by default. */
  format?: LogFormat;
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
  const format = options.format === "json" ? jsonLine : logfmtLine;
  const at = (level: LogLevel) => (event: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    write(format(new Date().toISOString(), level, event, fields));
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}

function logfmtLine(
  ts: string,
  level: LogLevel,
  event: string,
  fields: LogFields,
): string {
  let line = `ts=${ts} level=${level} event=${event}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) line += ` ${key}=${quote(value)}`;
  }
  return line;
}

/**
 * `{"ts":…,"level":…,"event":…,…fields}`. The three leading keys win over
 * fields of the same name, so a line always says what it is.
 */
function jsonLine(
  ts: string,
  level: LogLevel,
  event: string,
  fields: LogFields,
): string {
  return JSON.stringify({ ...fields, ts, level, event }, [
    "ts",
    "level",
    "event",
    ...Object.keys(fields).filter((key) =>
      key !== "ts" && key !== "level" && key !== "event"
    ),
  ]);
}

/**
 * An error as a log field: its message, or with `stack` its stack trace
 * (for faults, where the place matters).
 */
export function errorField(error: unknown, stack = false): string {
  if (!(error instanceof Error)) return String(error);
  return stack ? error.stack ?? error.message : error.message;
}
