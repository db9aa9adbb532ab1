/**
 * The UDP handshake datagrams: a client proves which session it is, the
 * server answers `0:<id>:connected`. Data datagrams are client lines without
 * their `\n` and go through `decodeClientLine` like TCP lines.
 *
 * The secure form `0:<id>:<secret>` carries the secret the client got in its
 * login reply `0:<id>:<secret>`; the keyed form `0:<id>:<n>:<mac>` proves it
 * without showing it (`mac`: HMAC-SHA256 of `<id>:<n>` keyed with the
 * secret, first 16 bytes in hex; `n` a counter that only grows); the seeds'
 * bare form `0:<id>` carries none.
 *
 * @example
 * ```ts
 * import { decodeUdpHello, encodeUdpHello } from "./udp.ts";
 * const hello = decodeUdpHello(encodeUdpHello(7, "0f1e2d3c"));
 * console.assert(hello?.id === 7 && hello.secret?.length === 8);
 * ```
 * @module
 */
const utf8 = new TextEncoder();
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
/** Ids stay exact doubles, as in the line decoder. */
const MAX_ID_DIGITS = 15;
const CONNECTED = utf8.encode("connected");

/** A decoded handshake: the session id and the secret's bytes, if any. */
export interface UdpHello {
  readonly id: number;
  /** A view of the datagram; null for the bare (legacy) form. */
  readonly secret: Uint8Array | null;
}

/** Whether a datagram is a handshake (starts with `0:`), well formed or not. */
export function isUdpHello(datagram: Uint8Array): boolean {
  return datagram[0] === ZERO && datagram[1] === COLON;
}

function parseId(bytes: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > MAX_ID_DIGITS) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c < ZERO || c > NINE) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

/** Decodes `0:<id>:<secret>` or `0:<id>`; null when it is neither. */
export function decodeUdpHello(datagram: Uint8Array): UdpHello | null {
  if (!isUdpHello(datagram)) return null;
  const colon = datagram.indexOf(COLON, 2);
  const idEnd = colon === -1 ? datagram.length : colon;
  const id = parseId(datagram, 2, idEnd);
  if (id === -1) return null;
  if (colon === -1) return { id, secret: null };
  if (colon + 1 === datagram.length) return null;
  return { id, secret: datagram.subarray(colon + 1) };
}

/** Encodes a handshake; without `secret`, the bare legacy form. */
export function encodeUdpHello(id: number, secret?: string): Uint8Array {
  return utf8.encode(secret === undefined ? `0:${id}` : `0:${id}:${secret}`);
}

/** The server's answer to a handshake it accepted: `0:<id>:connected`. */
export function encodeUdpConnected(id: number): Uint8Array {
  return utf8.encode(`0:${id}:connected`);
}

/** The session id in a `0:<id>:connected` datagram, or null if it is not one. */
export function decodeUdpConnected(datagram: Uint8Array): number | null {
  const hello = decodeUdpHello(datagram);
  const word = hello?.secret;
  if (
    hello === null || word === null || word === undefined ||
    word.length !== CONNECTED.length ||
    !word.every((b, i) => b === CONNECTED[i])
  ) {
    return null;
  }
  return hello.id;
}

/** The counter and MAC of a keyed handshake `0:<id>:<n>:<mac>`. */
export interface UdpProof {
  readonly counter: number;
  /** A view of the datagram: 32 hex digits. */
  readonly mac: Uint8Array;
}

/** Bytes of a keyed handshake's MAC, in hex digits. */
export const UDP_MAC_HEX_DIGITS = 32;

/**
 * Splits a handshake's third field into counter and MAC when it is the
 * keyed form (`<n>:<mac>`); null for a plain secret or a malformed one.
 */
export function decodeUdpProof(field: Uint8Array): UdpProof | null {
  const colon = field.indexOf(COLON);
  if (colon === -1) return null;
  const counter = parseId(field, 0, colon);
  if (counter <= 0) return null;
  const mac = field.subarray(colon + 1);
  return mac.length === UDP_MAC_HEX_DIGITS ? { counter, mac } : null;
}

/** Encodes a keyed handshake `0:<id>:<n>:<mac>`. */
export function encodeUdpProof(
  id: number,
  counter: number,
  mac: string,
): Uint8Array {
  return utf8.encode(`0:${id}:${counter}:${mac}`);
}

/** What the MAC of a keyed handshake covers: `<id>:<n>`. */
export function udpProofMessage(id: number, counter: number): string {
  return `${id}:${counter}`;
}
