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
import { udpMac } from "../../net/udp_proof.ts";

const SECRET_BYTES = 16;
const utf8 = new TextEncoder();

/** 128 random bits as 32 lowercase hex digits. */
export function newUdpSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  // One join, not 32 concatenations: a concatenated string stays a chain of
  // small strings in V8, several hundred bytes per session for its lifetime.
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether `given` is `secret`, compared in constant time. */
export function udpSecretMatches(secret: string, given: Uint8Array): boolean {
  const expected = utf8.encode(secret);
  // The length is not secret (always 32); only the content is.
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Whether `mac` is the keyed handshake's MAC for `id`, `counter` and the
 * packing flag `pack`, in constant time.
 */
export function udpProofMatches(
  secret: string,
  id: number,
  counter: number,
  mac: Uint8Array,
  pack = false,
): boolean {
  const expected = utf8.encode(udpMac(secret, id, counter, pack));
  return expected.length === mac.length && timingSafeEqual(expected, mac);
}
