/**
 * What `--db` names, and how to talk about it without giving its password
 * away: a `postgres://` URL may carry one in its user part
 * (`postgres://user:pw@host/db`) or in its query (`?password=pw`). Messages
 * and logs show {@linkcode describeTarget}; any text that may quote the URL
 * (a driver's error, a log line) goes through {@linkcode redactSecrets}.
 *
 * @example
 * ```ts
 * import { describeTarget, redactSecrets } from "./db_target.ts";
 * const url = "postgres://sb:s3cret@db.example/switchboard";
 * console.assert(describeTarget(url) === "postgres://sb:***@db.example/switchboard");
 * console.assert(redactSecrets(`cannot reach ${url}`, url) === "cannot reach postgres://sb:***@db.example/switchboard");
 * ```
 * @module
 */

/** The SQL dialects the store speaks. */
export type DialectName = "sqlite" | "postgres";

/** What stands in for a secret in messages. */
export const SECRET_MASK = "***";

/** Which dialect `target` names: a `postgres://` URL, else a SQLite file. */
export function dialectOf(target: string): DialectName {
  return /^postgres(ql)?:\/\//i.test(target) ? "postgres" : "sqlite";
}

/**
 * Parses a PostgreSQL URL the way the `pg` driver does (it first encodes
 * spaces and stray `%`), or returns null when it cannot be parsed.
 */
export function parsePostgresUrl(target: string): URL | null {
  const text = / |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(target)
    ? encodeURI(target).replace(/%25(\d\d)/g, "%$1")
    : target;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** Query parameters that hold secrets (`password`, `sslpassword`, …). */
function isSecretParam(name: string): boolean {
  return /pass|secret|key/i.test(name) && !/^sslkey$/i.test(name);
}

/**
 * Every spelling of every secret in `target`: the password as written, as
 * decoded, and the values of secret query parameters. Empty for SQLite.
 */
export function secretsOf(target: string): string[] {
  if (dialectOf(target) === "sqlite") return [];
  const secrets = new Set<string>();
  const written = /^[a-z]+:\/\/[^/?#@:]*:([^/?#]*)@/i.exec(target)?.[1];
  if (written) secrets.add(written);
  const url = parsePostgresUrl(target);
  if (url !== null) {
    if (url.password !== "") {
      secrets.add(url.password);
      secrets.add(decodeOrSelf(url.password));
    }
    for (const [name, value] of url.searchParams) {
      if (isSecretParam(name) && value !== "") secrets.add(value);
    }
  }
  for (
    const m of target.matchAll(/[?&]([^=&#]*)=([^&#]*)/g)
  ) {
    if (isSecretParam(decodeOrSelf(m[1]!)) && m[2] !== "") {
      secrets.add(m[2]!);
      secrets.add(decodeOrSelf(m[2]!));
    }
  }
  secrets.delete("");
  return [...secrets];
}

function decodeOrSelf(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `target` without its secrets, fit for messages and logs. */
export function describeTarget(target: string): string {
  if (dialectOf(target) === "sqlite") return target;
  const url = parsePostgresUrl(target);
  if (url === null) return "postgres://(unparsable URL)";
  if (url.password !== "") url.password = SECRET_MASK;
  for (const name of [...url.searchParams.keys()]) {
    if (isSecretParam(name)) url.searchParams.set(name, SECRET_MASK);
  }
  return url.toString().replaceAll(
    encodeURIComponent(SECRET_MASK),
    SECRET_MASK,
  );
}

/**
 * `text` with every secret of `target` replaced by `***`: for driver errors
 * and log lines that might quote the URL or the password.
 */
export function redactSecrets(text: string, target: string): string {
  return secretRedactor(target)(text);
}

/**
 * {@linkcode redactSecrets} for one `target`, its secrets found once: for
 * the log, which redacts every line. For a target without secrets (any
 * SQLite file) it returns the text itself.
 */
export function secretRedactor(target: string): (text: string) => string {
  // Longest first, so that a secret containing another is replaced whole.
  const secrets = secretsOf(target).sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of secrets) out = out.replaceAll(secret, SECRET_MASK);
    return out;
  };
}
