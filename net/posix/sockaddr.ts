/**
 * `struct sockaddr_in` / `sockaddr_in6` from and to text, for the epoll
 * transports. Only numeric addresses: a host name is resolved before it
 * gets here (`localhost` excepted, which means the loopback address).
 *
 * @example
 * ```ts
 * import { decodeSockaddr, encodeSockaddr } from "./sockaddr.ts";
 * const raw = encodeSockaddr("127.0.0.1", 7777);
 * console.assert(raw !== null);
 * const back = decodeSockaddr(raw!, raw!.length);
 * console.assert(back?.address === "127.0.0.1" && back.port === 7777);
 * ```
 * @module
 */
import { C, type Libc } from "./libc.ts";

/** Bytes of the largest address structure (`sockaddr_in6`). */
export const SOCKADDR_BYTES = 28;

/** An address and port as text and number. */
export interface SocketAddress {
  readonly address: string;
  readonly port: number;
  /** 4 or 6. */
  readonly family: 4 | 6;
}

/** The four bytes of a dotted IPv4 address, or null. */
function ipv4Bytes(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

/** The sixteen bytes of an IPv6 address (with `::` and a dotted tail), or null. */
function ipv6Bytes(text: string): number[] | null {
  const zone = text.indexOf("%");
  if (zone !== -1) return null;
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    const v4 = ipv4Bytes(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = v4;
    head = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => s === "" ? [] : s.split(":");
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [
    ...left,
    ...Array(halves.length === 2 ? missing : 0).fill("0"),
    ...right,
  ];
  const bytes: number[] = [];
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    const n = parseInt(group, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * The address structure for `address:port`, or null when `address` is not
 * a numeric IPv4 or IPv6 address (or `localhost`).
 */
export function encodeSockaddr(
  address: string,
  port: number,
): Uint8Array | null {
  const host = address === "localhost" ? "127.0.0.1" : address;
  const v4 = ipv4Bytes(host);
  if (v4 !== null) {
    const raw = new Uint8Array(16);
    const view = new DataView(raw.buffer);
    view.setUint16(0, C.AF_INET, true);
    view.setUint16(2, port, false);
    raw.set(v4, 4);
    return raw;
  }
  const bare = host.startsWith("[") && host.endsWith("]")
    ? host.slice(1, -1)
    : host;
  const v6 = ipv6Bytes(bare);
  if (v6 === null) return null;
  const raw = new Uint8Array(SOCKADDR_BYTES);
  const view = new DataView(raw.buffer);
  view.setUint16(0, C.AF_INET6, true);
  view.setUint16(2, port, false);
  raw.set(v6, 8);
  return raw;
}

/** Text of IPv6 bytes, shortest form (`::1`, `::ffff:1.2.3.4`). */
function ipv6Text(raw: Uint8Array, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) {
    groups.push(raw[at + 2 * i]! << 8 | raw[at + 2 * i + 1]!);
  }
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${raw[at + 12]}.${raw[at + 13]}.${raw[at + 14]}.${
      raw[at + 15]
    }`;
  }
  // The longest run of two or more zero groups becomes `::`.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(":");
  const left = hex.slice(0, bestStart).join(":");
  const right = hex.slice(bestStart + bestLength).join(":");
  return `${left}::${right}`;
}

/** Dotted text of the four IPv4 bytes at `at`. */
function ipv4Text(raw: Uint8Array, at: number): string {
  return `${raw[at]}.${raw[at + 1]}.${raw[at + 2]}.${raw[at + 3]}`;
}

/** The family (`AF_INET`, `AF_INET6`, ...) of the address structure at `at`. */
function familyOf(raw: Uint8Array, at: number): number {
  return raw[at]! | raw[at + 1]! << 8;
}

/** The port of the address structure at `at` (stored big-endian). */
export function sockaddrPort(raw: Uint8Array, at = 0): number {
  return raw[at + 2]! << 8 | raw[at + 3]!;
}

/** Reads an address structure of `length` bytes; null for another family. */
export function decodeSockaddr(
  raw: Uint8Array,
  length: number,
  at = 0,
): SocketAddress | null {
  if (length < 2) return null;
  const family = familyOf(raw, at);
  const port = sockaddrPort(raw, at);
  if (family === C.AF_INET && length >= 8) {
    return { address: ipv4Text(raw, at + 4), port, family: 4 };
  }
  if (family === C.AF_INET6 && length >= 24) {
    return { address: ipv6Text(raw, at + 8), port, family: 6 };
  }
  return null;
}

/** IPv4 addresses whose text an {@linkcode AddressTexts} keeps. */
const IPV4_TEXTS = 4096;

/**
 * The text of the addresses one socket meets, the last 4,096 IPv4 ones
 * kept: a datagram from a known address makes no string, and connections
 * from one address share one text instead of each keeping its own.
 */
export class AddressTexts {
  readonly #ipv4 = new Map<number, string>();

  /**
   * The address of the structure of `length` bytes at `at`, as text; null
   * for a family other than IPv4 and IPv6.
   */
  of(raw: Uint8Array, length: number, at = 0): string | null {
    if (length < 2) return null;
    const family = familyOf(raw, at);
    if (family === C.AF_INET && length >= 8) {
      const key = (raw[at + 4]! << 24 | raw[at + 5]! << 16 |
        raw[at + 6]! << 8 | raw[at + 7]!) >>> 0;
      let text = this.#ipv4.get(key);
      if (text === undefined) {
        text = ipv4Text(raw, at + 4);
        if (this.#ipv4.size >= IPV4_TEXTS) this.#ipv4.clear();
        this.#ipv4.set(key, text);
      }
      return text;
    }
    if (family === C.AF_INET6 && length >= 24) return ipv6Text(raw, at + 8);
    return null;
  }
}

/** The local port a bound socket `fd` has (`getsockname`). */
export function boundPort(libc: Libc, fd: number): number {
  const name = new Uint8Array(SOCKADDR_BYTES);
  const length = new Uint32Array([SOCKADDR_BYTES]);
  libc.check("getsockname", libc.call.getsockname(fd, name, length));
  return decodeSockaddr(name, length[0]!)!.port;
}
