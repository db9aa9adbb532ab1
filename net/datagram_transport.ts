/**
 * The small interface between the UDP channel and a datagram socket, so
 * `node:dgram` and `Deno.listenDatagram` can be measured against each other
 * on the same relay code (numbers in docs/design.md, "UDP").
 *
 * @example
 * ```ts
 * import type { DatagramTransport } from "./datagram_transport.ts";
 * const echo = async (t: DatagramTransport) => {
 *   const socket = await t.bind("127.0.0.1", 0, {
 *     receive: (data, address, port) =>
 *       socket.send(data.slice(), socket.target(address, port)),
 *     sendFailed: () => {},
 *   });
 *   return socket;
 * };
 * ```
 * @module
 */

/** Called once per datagram; `data` may be reused after the call returns. */
export type DatagramHandler = (
  data: Uint8Array,
  address: string,
  port: number,
) => void;

/** Where datagrams go: made once per channel by {@linkcode DatagramSocket.target}. */
export interface DatagramTarget {
  readonly address: string;
  readonly port: number;
}

/** A bound UDP socket. */
export interface DatagramSocket {
  /** The port actually bound (useful after binding port 0). */
  readonly port: number;
  /** A target to send to, built once so sends allocate nothing for it. */
  target(address: string, port: number): DatagramTarget;
  /**
   * Sends one datagram, fire and forget: UDP is lossy, and a send that the
   * system refuses is reported to `sendFailed`, never retried. `data` must
   * not be mutated afterwards (it may be shared by several sends).
   */
  send(data: Uint8Array, to: DatagramTarget): void;
  /** Stops receiving and releases the port. */
  close(): Promise<void>;
}

/** What a transport reports besides datagrams. */
export interface DatagramEvents {
  /** A datagram arrived. */
  receive: DatagramHandler;
  /** A send failed or was dropped for want of room. */
  sendFailed(error?: Error): void;
}

/** Something that can bind a UDP socket. */
export interface DatagramTransport {
  /** Binds `hostname:port`; resolves once datagrams are received. */
  bind(
    hostname: string,
    port: number,
    events: DatagramEvents,
  ): Promise<DatagramSocket>;
}

/** Whether `error` (or its cause) says the address is in use, from either API. */
export function isAddressInUse(error: unknown): boolean {
  if (error instanceof Deno.errors.AddrInUse) return true;
  const e = error as { code?: unknown; cause?: unknown } | null;
  return e?.code === "EADDRINUSE" ||
    (e?.cause !== undefined && isAddressInUse(e.cause));
}
