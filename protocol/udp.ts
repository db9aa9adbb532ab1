/**
 * The UDP handshake datagrams: a client proves which session it is, the
 * server answers `0:<id>:connected`. Data datagrams are client lines without
 * their `\n` and go through `decodeClientLine` like TCP lines.
 *
 * The secure form `0:<id>:<secret>` carries the secret the client got in its
 * login reply `0:<id>:<secret>`; the keyed form `0:<id>:<n>:<mac>` proves it
 * without showing it (`mac`: HMAC-SHA256 of `<id>:<n>` keyed with the
 * secret, first 16 bytes in hex; `n` a counter that only grows); the seeds'
 * bare form `0:<id>` carries none. The secure and keyed forms may end in
 * `:pack` (the client can unpack several relayed messages joined by `\n` in
 * one datagram); the keyed form's MAC then covers `<id>:<n>:pack`.
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
/** The trailing field of a handshake that asks for packed datagrams. */
const PACK = utf8.encode(":pack");

/** A decoded handshake: the session id and the secret's bytes, if any. */
export interface UdpHello {
  readonly id: number;
  /**
   * A view of the datagram, without the `:pack` flag: the secret or the
   * keyed form's `<n>:<mac>`; null for the bare (legacy) form.
   */
  readonly secret: Uint8Array | null;
  /** The handshake ended in `:pack`: the client unpacks packed datagrams. */
  readonly pack: boolean;
}

function endsWithPack(bytes: Uint8Array): boolean {
  const at = bytes.length - PACK.length;
  if (at < 0) return false;
  for (let i = 0; i < PACK.length; i++) {
    if (bytes[at + i] !== PACK[i]) return false;
  }
  return true;
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

/**
 * Decodes `0:<id>:<secret>` or `0:<id>` (the secure or keyed form with an
 * optional trailing `:pack`, or the bare form); null when it is none. A
 * trailing field that is not exactly `:pack` stays part of the secret, which
 * then does not match: neither a secret (32 hex digits) nor a keyed proof
 * (`<n>:<mac>`) can end in `:pack`, so the flag is never ambiguous.
 */
export function decodeUdpHello(datagram: Uint8Array): UdpHello | null {
  if (!isUdpHello(datagram)) return null;
  const colon = datagram.indexOf(COLON, 2);
  const idEnd = colon === -1 ? datagram.length : colon;
  const id = parseId(datagram, 2, idEnd);
  if (id === -1) return null;
  if (colon === -1) return { id, secret: null, pack: false };
  const pack = endsWithPack(datagram) && datagram.length - PACK.length > colon;
  const end = pack ? datagram.length - PACK.length : datagram.length;
  if (colon + 1 >= end) return null;
  return { id, secret: datagram.subarray(colon + 1, end), pack };
}

/**
 * Encodes a handshake; without `secret`, the bare legacy form (which has no
 * packing flag); with `pack`, the secure form asking for packed datagrams.
 */
export function encodeUdpHello(
  id: number,
  secret?: string,
  pack = false,
): Uint8Array {
  if (secret === undefined) return utf8.encode(`0:${id}`);
  return utf8.encode(`0:${id}:${secret}${pack ? ":pack" : ""}`);
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
    hello === null || hello.pack || word === null || word === undefined ||
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

/**
 * Encodes a keyed handshake `0:<id>:<n>:<mac>`, or `0:<id>:<n>:<mac>:pack`
 * with `pack` (its MAC must then cover the flag: see
 * {@linkcode udpProofMessage}).
 */
export function encodeUdpProof(
  id: number,
  counter: number,
  mac: string,
  pack = false,
): Uint8Array {
  return utf8.encode(`0:${id}:${counter}:${mac}${pack ? ":pack" : ""}`);
}

/**
 * What the MAC of a keyed handshake covers: `<id>:<n>`, or `<id>:<n>:pack`
 * when it asks for packed datagrams, so that the flag of a recorded
 * handshake cannot be changed.
 */
export function udpProofMessage(
  id: number,
  counter: number,
  pack = false,
): string {
  return pack ? `${id}:${counter}:pack` : `${id}:${counter}`;
}

/** The byte that joins the messages of a packed datagram. */
export const PACKED_SEPARATOR = 0x0a;
