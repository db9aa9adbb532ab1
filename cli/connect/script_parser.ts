/**
 * Script mode's language: one line per step. Pure.
 *
 * | line                              | does                                                  |
 * | --------------------------------- | ----------------------------------------------------- |
 * | `expect REGEX [within MS]`        | waits for an incoming line matching REGEX             |
 * | `expect-none REGEX for MS`        | fails if a line matching REGEX arrives within MS      |
 * | `login NAME [PASSWORD]`           | logs in and waits for the answer; fails if refused    |
 * | `join ROOM [PASSWORD]`            | joins and waits for the whole join sequence           |
 * | `send TEXT`                       | sends TEXT verbatim (for lines that look like a step) |
 * | `drop [MS]`                       | cuts the connection (as a network failure would); it is resumed, after MS ms |
 * | `# comment`, blank line           | nothing                                               |
 * | anything else                     | sent verbatim                                         |
 *
 * Named groups in an `expect` pattern become variables: after
 * `expect ^0:(?<me>\d+)`, later lines may use `${me}`.
 *
 * @example
 * ```ts
 * import { parseScriptLine } from "./script_parser.ts";
 * const step = parseScriptLine("expect ^4:\\d+$ within 2000");
 * console.assert(step.kind === "expect" && step.within === 2000);
 * ```
 * @module
 */

/** The longest wait a step may ask for. */
export const MAX_WAIT_MS = 600_000;

/** One step of a script. */
export type Step =
  | { readonly kind: "nothing" }
  | { readonly kind: "send"; readonly line: string }
  | {
    readonly kind: "expect";
    readonly pattern: RegExp;
    /** Milliseconds, or undefined for the default. */
    readonly within: number | undefined;
  }
  | {
    readonly kind: "expect-none";
    readonly pattern: RegExp;
    readonly forMs: number;
  }
  | {
    readonly kind: "login";
    readonly username: string;
    readonly password: string;
  }
  | { readonly kind: "join"; readonly room: string; readonly password: string }
  /** Cut the connection; the client resumes its session after `downMs`. */
  | { readonly kind: "drop"; readonly downMs: number }
  /** The line is not a valid step; `message` says why. */
  | { readonly kind: "invalid"; readonly message: string };

function regex(source: string): RegExp | string {
  if (source === "") return "a regular expression is missing";
  try {
    return new RegExp(source);
  } catch (error) {
    return `bad regular expression: ${(error as Error).message}`;
  }
}

function milliseconds(text: string): number | string {
  const ms = Number(text);
  return Number.isSafeInteger(ms) && ms <= MAX_WAIT_MS
    ? ms
    : `${text} ms is more than ${MAX_WAIT_MS}`;
}

function invalid(message: string): Step {
  return { kind: "invalid", message };
}

/** Parses one line of a script. */
export function parseScriptLine(line: string): Step {
  const trimmed = line.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return { kind: "nothing" };
  const m = /^(expect-none|expect|login|join|send|drop)(?:\s+(.*))?$/s.exec(
    trimmed,
  );
  if (m === null) return { kind: "send", line };
  const [, word, rest = ""] = m;
  switch (word) {
    case "send":
      return { kind: "send", line: /^\s*send\s(.*)$/s.exec(line)?.[1] ?? "" };
    case "drop": {
      if (rest === "") return { kind: "drop", downMs: 0 };
      if (!/^\d+$/.test(rest)) return invalid("usage: drop [MS]");
      const downMs = milliseconds(rest);
      return typeof downMs === "string"
        ? invalid(downMs)
        : { kind: "drop", downMs };
    }
    case "expect": {
      const w = /^(.*?)\s+within\s+(\d+)$/s.exec(rest);
      const pattern = regex(w ? w[1]! : rest);
      const within = w ? milliseconds(w[2]!) : undefined;
      if (typeof pattern === "string") return invalid(pattern);
      if (typeof within === "string") return invalid(within);
      return { kind: "expect", pattern, within };
    }
    case "expect-none": {
      const f = /^(.*?)\s+for\s+(\d+)$/s.exec(rest);
      if (f === null) return invalid("usage: expect-none REGEX for MS");
      const pattern = regex(f[1]!);
      const forMs = milliseconds(f[2]!);
      if (typeof pattern === "string") return invalid(pattern);
      if (typeof forMs === "string") return invalid(forMs);
      return { kind: "expect-none", pattern, forMs };
    }
    default: {
      const words = rest === "" ? [] : rest.split(/\s+/);
      if (words.length < 1 || words.length > 2) {
        return invalid(
          `usage: ${word} ${word === "login" ? "NAME" : "ROOM"} [PASSWORD]`,
        );
      }
      const [name, password = ""] = words as [string, string?];
      return word === "login"
        ? { kind: "login", username: name, password }
        : { kind: "join", room: name, password };
    }
  }
}

/**
 * Replaces each `${name}` in `line` with its variable's value; returns an
 * error message when a variable is not set.
 */
export function substitute(
  line: string,
  vars: ReadonlyMap<string, string>,
): string | { readonly error: string } {
  let missing: string | null = null;
  const out = line.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = vars.get(name);
    if (value === undefined) missing ??= name;
    return value ?? whole;
  });
  return missing === null
    ? out
    : { error: `\${${missing}} is not set (no expect captured it)` };
}
