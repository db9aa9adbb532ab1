/**
 * The MAC of the keyed UDP handshake `0:<id>:<n>:<mac>` (docs/protocol.md,
 * "Handshake"): HMAC-SHA256 of `<id>:<n>` (`<id>:<n>:pack` for a handshake
 * asking for packed datagrams) keyed with the session's secret,
 * its first 16 bytes in lowercase hex. Shared by the server and the Deno
 * client; not part of protocol/, which the browser bundle includes (a web
 * page has no UDP).
 *
 * @example
 * ```ts
 * import { udpMac } from "./udp_proof.ts";
 * console.assert(udpMac("00".repeat(16), 7, 1).length === 32);
 * ```
 * @module
 */
import { createHmac } from "node:crypto";
import { udpProofMessage } from "../protocol/udp.ts";

/**
 * The MAC a keyed handshake of session `id` with counter `counter` carries;
 * with `pack`, that of the handshake that ends in `:pack`.
 */
export function udpMac(
  secret: string,
  id: number,
  counter: number,
  pack = false,
): string {
  return createHmac("sha256", secret)
    .update(udpProofMessage(id, counter, pack))
    .digest("hex")
    .slice(0, 32);
}
