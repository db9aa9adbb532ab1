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

/** A value as logfmt writes it: bare when it can be, else JSON-quoted. */
function quote(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  return isBare(value) ? value : JSON.stringify(value);
}

/** Non-empty, with no whitespace, `"` or `=` (a loop: no regex per field). */
function isBare(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x22 || c === 0x3d || c === 0x7f) return false;
    if (c > 0x7f && /\s/.test(text[i]!)) return false;
  }
  return true;
}

/**
 * Writes lines to standard error, each encoded into one reused buffer: a
 * log line costs no console formatting and no new buffer (a server logs two
 * lines per connection at `info`).
 */
export function stderrLines(): (line: string) => void {
  const utf8 = new TextEncoder();
  let buffer = new Uint8Array(1024);
  return (line) => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit, plus the newline.
    const most = line.length * 3 + 1;
    if (most > buffer.length) buffer = new Uint8Array(most);
    const { written } = utf8.encodeInto(line, buffer);
    buffer[written] = 0x0a;
    writeAll(buffer.subarray(0, written + 1));
  };
}

function writeAll(bytes: Uint8Array): void {
  let offset = 0;
  try {
    while (offset < bytes.length) {
      offset += Deno.stderr.writeSync(
        offset === 0 ? bytes : bytes.subarray(offset),
      );
    }
  } catch {
    // Standard error is gone (a closed pipe): the line is lost, but a log
    // line must never take a connection or the server down with it.
  }
}

/** Creates a logger that drops lines below `level`. */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? stderrLines();
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
  let line = "ts=" + ts + " level=" + level + " event=" + event;
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) line += " " + key + "=" + quote(value);
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
