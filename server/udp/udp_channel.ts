/**
 * A session's UDP channel: where its datagrams go once its handshake is done.
 *
 * @example
 * ```ts
 * import type { UdpChannel } from "./udp_channel.ts";
 * const sent: Uint8Array[] = [];
 * const channel: UdpChannel = {
 *   key: "127.0.0.1:5000",
 *   packing: false,
 *   send: (datagram) => sent.push(datagram),
 *   sendAlone: (datagram) => sent.push(datagram),
 *   close() {},
 * };
 * ```
 * @module
 */

/** One session's UDP channel. */
export interface UdpChannel {
  /** `address:port` of the client's UDP socket. */
  readonly key: string;
  /**
   * Whether relayed messages may be packed, several to a datagram joined by
   * `\n` (the last accepted handshake asked for it, and the server allows it).
   */
  readonly packing: boolean;
  /**
   * Sends one relayed message (`3:<id>:msg`, no `\n`); lossy, never blocks.
   * With packing on, it may wait until the end of the turn to share a
   * datagram with others for the same channel; never longer.
   */
  send(message: Uint8Array): void;
  /** Sends `datagram` at once and alone (a handshake answer). */
  sendAlone(datagram: Uint8Array): void;
  /** Ends the channel: datagrams from its address are unknown afterwards. */
  close(): void;
}

/** How a lossy message reached (or did not reach) one receiver. */
export const Delivery = {
  /** As a datagram, over the receiver's UDP channel. */
  Datagram: 0,
  /** As a line over TCP: the receiver has no UDP channel. */
  Line: 1,
  /** Not at all: the receiver has no channel and its TCP queue is too full. */
  Skipped: 2,
} as const;

/** One of the {@linkcode Delivery} values. */
export type Delivery = typeof Delivery[keyof typeof Delivery];
