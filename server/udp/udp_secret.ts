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
const HEX = "0123456789abcdef";
/**
 * Scratch for one secret: filled whole by each call before it is read, so
 * nothing carries over from one call (or one server) to the next.
 */
const random = new Uint8Array(SECRET_BYTES);
const digits = new Array<number>(SECRET_BYTES * 2);

/** 128 random bits as 32 lowercase hex digits. */
export function newUdpSecret(): string {
  crypto.getRandomValues(random);
  for (let i = 0; i < SECRET_BYTES; i++) {
    const b = random[i]!;
    digits[2 * i] = HEX.charCodeAt(b >> 4);
    digits[2 * i + 1] = HEX.charCodeAt(b & 15);
  }
  // One flat string from the char codes: concatenating 32 pieces would
  // leave a chain of small strings for the session's lifetime, and making
  // them costs more than the secret itself (logins come in bursts).
  return String.fromCharCode(...digits);
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
