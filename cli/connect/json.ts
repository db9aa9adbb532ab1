/**
 * `--json`: one JSON object per incoming line, for other programs.
 *
 * Fields: `time` (ISO 8601), `raw` (the line as UTF-8, invalid bytes as
 * U+FFFD), `kind`, then the message's own fields. A payload is given as
 * `payload` (its UTF-8 text, or null when it is not UTF-8) and
 * `payloadBase64` (always, exact). The UDP secret of a login reply is `***`
 * (in `raw` and `udpSecret`) unless asked for (`--show-secrets`).
 *
 * @example
 * ```ts
 * import { toJson } from "./json.ts";
 * import { decodeIncoming } from "../../client/mod.ts";
 * const json = toJson(decodeIncoming(new TextEncoder().encode("3:7:hi")), new Date(0));
 * console.assert(JSON.stringify(json) ===
 *   '{"time":"1970-01-01T00:00:00.000Z","raw":"3:7:hi","kind":"message","from":7,"payload":"hi","payloadBase64":"aGk="}');
 * ```
 * @module
 */
import type { Incoming } from "../../client/mod.ts";
import { maskJson } from "./secrets.ts";

// ignoreBOM: what is shown and matched is the line as received.
const lossy = new TextDecoder("utf-8", { ignoreBOM: true });
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function text(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The JSON object for one incoming line; the login reply's UDP secret is
 * `***` (in `raw` and `udpSecret`) unless `showSecrets`.
 */
export function toJson(
  incoming: Incoming,
  time: Date,
  showSecrets = false,
): Record<string, unknown> {
  const head = {
    time: time.toISOString(),
    raw: lossy.decode(incoming.raw),
    ...(incoming.via === undefined ? {} : { via: incoming.via }),
  };
  const msg = incoming.message;
  if (msg.kind !== "message") {
    const json = { ...head, ...msg };
    return showSecrets ? json : maskJson(json);
  }
  return {
    ...head,
    kind: msg.kind,
    from: msg.from,
    payload: text(msg.payload),
    payloadBase64: base64(msg.payload),
  };
}
