/**
 * One WebSocket client (`npm:ws`) behind the {@linkcode TransportSocket}
 * interface: one protocol line per message in each direction, so the relay
 * sees the same byte stream as from TCP.
 *
 * - In: each text or binary message is one line; it gets its `\n` and goes
 *   to the connection's line framer. A message with a `\n` inside is
 *   refused with an error line (it would be several lines) and not passed
 *   on. Messages larger than the line cap are closed by `ws` itself
 *   (`maxPayload`) before they are buffered.
 * - Out: the outbound queue hands over several lines at once (in slices
 *   that may end inside a line: the rest waits for the next); each becomes
 *   one binary message (binary, so any payload byte goes through: a text
 *   message must be UTF-8), framed here into one buffer and one socket
 *   write per flush, not one `ws.send` per line (see bench/README.md).
 * - Flow control: `pause()` pauses `ws` and its socket, so the kernel's
 *   window closes on the client; messages `ws` had already parsed from the
 *   last chunk are held here (at most one read chunk) until `resume()`.
 *   `write`'s `done` is the socket write's callback: bytes handed to the
 *   kernel.
 *
 * @example
 * ```ts ignore
 * import { WsSocket } from "./ws_socket.ts";
 * wss.handleUpgrade(req, socket, head, (ws) => {
 *   const s = new WsSocket(ws, socket, { remoteAddress: "127.0.0.1", remotePort: 1, encrypted: false });
 *   s.start(accept(s));
 * });
 * ```
 * @module
 */
import type { Duplex } from "node:stream";
// @ts-types="@types/ws"
import type { WebSocket } from "ws";
import { ErrorCode } from "../../protocol/mod.ts";
import type { SocketEvents, TransportSocket } from "./transport.ts";

const LF = 0x0a;
/** FIN + binary opcode: every line goes out as one binary message. */
const BINARY_FIN = 0x82;
const OPEN = 1;
const NEWLINE_REFUSAL = "a WebSocket message is one line: no \\n inside";

/** Where the client is, as the HTTP layer saw it. */
export interface WsPeer {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Whether the WebSocket runs over TLS (wss://). */
  readonly encrypted: boolean;
}

/** A WebSocket as a line-carrying transport socket. */
export class WsSocket implements TransportSocket {
  readonly remote: string;
  readonly remoteAddress: string;
  readonly encrypted: boolean;
  readonly #ws: WebSocket;
  readonly #raw: Duplex;
  #events: SocketEvents | null = null;
  #paused = false;
  #held: Uint8Array[] = [];
  /** One line plus its `\n`, reused for every message. */
  #scratch = new Uint8Array(1024);
  #failure: Error | undefined;
  #closed = false;
  /** The start of a line whose end has not been written to us yet. */
  #carry: Uint8Array | null = null;

  /** Wraps an upgraded `ws` and the socket under it. */
  constructor(ws: WebSocket, raw: Duplex, peer: WsPeer) {
    this.#ws = ws;
    this.#raw = raw;
    this.remoteAddress = peer.remoteAddress;
    this.remote = `${peer.remoteAddress}:${peer.remotePort}`;
    this.encrypted = peer.encrypted;
  }

  /** Starts delivering messages to `events`. */
  start(events: SocketEvents): void {
    this.#events = events;
    this.#ws.on("message", this.#message);
    this.#ws.on("error", (error: Error) => this.#failure ??= error);
    this.#ws.on("close", () => {
      if (this.#closed) return;
      this.#closed = true;
      this.#held = [];
      events.close(this.#failure);
    });
  }

  #message = (data: Uint8Array): void => {
    if (this.#paused) this.#held.push(data);
    else this.#feed(data);
  };

  #feed(data: Uint8Array): void {
    const events = this.#events!;
    if (data.indexOf(LF) !== -1) {
      events.refuse?.(ErrorCode.Malformed, NEWLINE_REFUSAL);
      return;
    }
    let scratch = this.#scratch;
    if (scratch.length < data.length + 1) {
      let size = scratch.length;
      while (size < data.length + 1) size *= 2;
      this.#scratch = scratch = new Uint8Array(size);
    }
    scratch.set(data);
    scratch[data.length] = LF;
    events.data(scratch.subarray(0, data.length + 1));
  }

  write(data: Uint8Array, done: (error?: Error | null) => void): void {
    if (this.#ws.readyState !== OPEN) {
      queueMicrotask(() => done(new Error("the WebSocket is closing")));
      return;
    }
    // The outbound queue writes in slices that need not end at a line: the
    // unfinished line is kept (a copy, at most one line) for the next write.
    let lines = data;
    const carry = this.#carry;
    if (carry !== null) {
      lines = new Uint8Array(carry.length + data.length);
      lines.set(carry);
      lines.set(data, carry.length);
    }
    const last = lines.lastIndexOf(LF);
    this.#carry = last === lines.length - 1 ? null : lines.slice(last + 1);
    if (last === -1) {
      queueMicrotask(() => done());
      return;
    }
    this.#raw.write(frameLines(lines.subarray(0, last + 1)), done);
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#ws.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    const held = this.#held;
    this.#held = [];
    let i = 0;
    // A held message may pause us again (a login): keep the rest held.
    while (i < held.length && !this.#paused && !this.#closed) {
      this.#feed(held[i++]!);
    }
    if (i < held.length) this.#held = held.slice(i).concat(this.#held);
    if (!this.#paused) this.#ws.resume();
  }

  end(): void {
    this.#ws.close(1000);
  }

  destroy(): void {
    this.#ws.terminate();
  }
}

/**
 * Frames each `\n`-terminated line of `data` as one unmasked binary
 * WebSocket message (RFC 6455 §5.2), all in one buffer.
 */
export function frameLines(data: Uint8Array): Uint8Array {
  let size = 0;
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(LF, start);
    if (end === -1) end = data.length;
    size += headerBytes(end - start) + end - start;
    start = end + 1;
  }
  const out = new Uint8Array(size);
  let at = 0;
  start = 0;
  while (start < data.length) {
    let end = data.indexOf(LF, start);
    if (end === -1) end = data.length;
    const length = end - start;
    out[at++] = BINARY_FIN;
    if (length < 126) {
      out[at++] = length;
    } else if (length < 65_536) {
      out[at++] = 126;
      out[at++] = length >>> 8;
      out[at++] = length & 0xff;
    } else {
      out[at++] = 127;
      // Lines are far below 2^32 bytes: the high word is zero.
      at += 4;
      out[at++] = length >>> 24;
      out[at++] = (length >>> 16) & 0xff;
      out[at++] = (length >>> 8) & 0xff;
      out[at++] = length & 0xff;
    }
    out.set(data.subarray(start, end), at);
    at += length;
    start = end + 1;
  }
  return out;
}

function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}
