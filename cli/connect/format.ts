/**
 * How the REPL and script mode print: incoming lines raw and explained,
 * lines sent, and the client's own notices; optional time stamps; colours
 * only on a terminal and never when NO_COLOR is set. Pure.
 *
 * @example
 * ```ts
 * import { formatIncoming } from "./format.ts";
 * const style = { color: false, timestamps: false };
 * const out = formatIncoming("2:7:lobby", "user 7 joined lobby", "joined", style, new Date());
 * console.assert(out === "< 2:7:lobby      user 7 joined lobby");
 * ```
 * @module
 */
import { maskReceived, maskSent } from "./secrets.ts";

/** How to print. */
export interface Style {
  /** ANSI colours. */
  readonly color: boolean;
  /** A local `HH:MM:SS.mmm` stamp before each line. */
  readonly timestamps: boolean;
  /** Print passwords and UDP secrets as they are (`--show-secrets`). */
  readonly showSecrets?: boolean;
}

/** Raw lines are padded to this width before their explanation. */
const RAW_COLUMN = 14;

const ANSI = {
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
  reset: "\x1b[0m",
} as const;

/**
 * Colours when writing to a terminal and `NO_COLOR` is unset or empty
 * (https://no-color.org).
 */
export function wantsColor(isTerminal: boolean, noColor: string | undefined) {
  return isTerminal && (noColor === undefined || noColor === "");
}

function paint(style: Style, color: keyof typeof ANSI, text: string): string {
  return style.color ? `${ANSI[color]}${text}${ANSI.reset}` : text;
}

function stamp(style: Style, now: Date): string {
  if (!style.timestamps) return "";
  const two = (n: number) => String(n).padStart(2, "0");
  const text = `${two(now.getHours())}:${two(now.getMinutes())}:${
    two(now.getSeconds())
  }.${String(now.getMilliseconds()).padStart(3, "0")} `;
  return paint(style, "dim", text);
}

/**
 * An incoming line: `< raw  explanation`, the UDP secret of a login reply
 * hidden unless `style.showSecrets`. `kind` picks the colour (errors and
 * `0:-1` red, messages green, server notices yellow).
 */
export function formatIncoming(
  raw: string,
  explanation: string,
  kind: string,
  style: Style,
  now: Date,
): string {
  const color = kind === "error" || kind === "logged-out" || kind === "unknown"
    ? "red"
    : kind === "message"
    ? "green"
    : kind === "notice"
    ? "yellow"
    : "dim";
  const shown = style.showSecrets ? raw : maskReceived(raw);
  return `${stamp(style, now)}${paint(style, "cyan", "<")} ${
    shown.padEnd(RAW_COLUMN)
  } ${paint(style, color, explanation)}`;
}

/** A line we sent: `> raw`, passwords hidden unless `style.showSecrets`. */
export function formatSent(line: string, style: Style, now: Date): string {
  const shown = style.showSecrets ? line : maskSent(line);
  return `${stamp(style, now)}${paint(style, "dim", `> ${shown}`)}`;
}

/** A notice from the client itself: `* text`, red for errors. */
export function formatNotice(
  text: string,
  level: "info" | "error",
  style: Style,
  now: Date,
): string {
  return `${stamp(style, now)}${
    paint(style, level === "error" ? "red" : "yellow", `* ${text}`)
  }`;
}
