/**
 * The per-session UDP secret: made at login, sent in the login reply over
 * TCP, proven in the UDP handshake. It stops anyone who merely knows a
 * session id (everyone in its room does) from taking over its UDP channel.
 *
 * @example
 * ```ts
 * import { newUdpSecret, udpSecretMatches } from "./udp_secret.ts";
 * const secret = newUdpSecret();
 * console.assert(udpSecretMatches(secret, new TextEncoder().encode(secret)));
 * ```
 * @module
 */
import { timingSafeEqual } from "node:crypto";

const SECRET_BYTES = 16;
const utf8 = new TextEncoder();

/** 128 random bits as 32 lowercase hex digits. */
export function newUdpSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** Whether `given` is `secret`, compared in constant time. */
export function udpSecretMatches(secret: string, given: Uint8Array): boolean {
  const expected = utf8.encode(secret);
  // The length is not secret (always 32); only the content is.
  return expected.length === given.length && timingSafeEqual(expected, given);
}
