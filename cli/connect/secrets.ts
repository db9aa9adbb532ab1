/**
 * Secrets hidden from what `connect` prints: passwords in the lines it sends
 * (`0:name:pw`, `1:pw`, `2:room:pw`) and in script steps (`login name pw`,
 * `join room pw`), and the UDP secret of the login reply (`0:id:secret`).
 * Each becomes `***`; `--show-secrets` turns masking off. What is sent and
 * what `expect` matches are never changed, only what is shown. Pure.
 *
 * @example
 * ```ts
 * import { maskReceived, maskScriptLine, maskSent } from "./secrets.ts";
 * console.assert(maskSent("2:den:door") === "2:den:***");
 * console.assert(maskReceived("0:7:5f0c2a9e41d87b3306c1f2e9a4b7d810") === "0:7:***");
 * console.assert(maskScriptLine("login ada s3cret") === "login ada ***");
 * ```
 * @module
 */

/** What stands in for a secret. */
export const MASK = "***";

/**
 * A line sent to the server with its password hidden: the third field of
 * `0:` and `2:` (the second of `1:`), when there is one.
 */
export function maskSent(line: string): string {
  if (line.startsWith("1:")) return line.length > 2 ? `1:${MASK}` : line;
  const m = /^([02]:[^:]*:).+$/s.exec(line);
  return m === null ? line : `${m[1]}${MASK}`;
}

/**
 * A line received from the server with the login reply's UDP secret hidden
 * (`0:id:connected`, the handshake's answer, holds none).
 */
export function maskReceived(line: string): string {
  const m = /^(0:\d+:)(?!connected$).+$/s.exec(line);
  return m === null ? line : `${m[1]}${MASK}`;
}

/**
 * A script line as written, with its password hidden: the steps `login NAME
 * PASSWORD` and `join ROOM PASSWORD`, and raw lines as {@linkcode maskSent}.
 */
export function maskScriptLine(line: string): string {
  const step = /^(\s*(?:login|join)\s+\S+\s+)\S.*$/s.exec(line);
  if (step !== null) return `${step[1]}${MASK}`;
  const send = /^(\s*send\s)(.*)$/s.exec(line);
  if (send !== null) return `${send[1]}${maskSent(send[2]!)}`;
  return maskSent(line);
}

/** A `--json` object with the UDP secret hidden in `raw` and `udpSecret`. */
export function maskJson(
  json: Record<string, unknown>,
): Record<string, unknown> {
  if (json.kind !== "welcome") return json;
  return {
    ...json,
    raw: maskReceived(String(json.raw)),
    ...(json.udpSecret === undefined ? {} : { udpSecret: MASK }),
  };
}
