/**
 * A session's UDP channel: where its datagrams go once its handshake is done.
 *
 * @example
 * ```ts
 * import type { UdpChannel } from "./udp_channel.ts";
 * const sent: Uint8Array[] = [];
 * const channel: UdpChannel = {
 *   key: "127.0.0.1:5000",
 *   send: (datagram) => sent.push(datagram),
 *   close() {},
 * };
 * ```
 * @module
 */

/** One session's UDP channel. */
export interface UdpChannel {
  /** `address:port` of the client's UDP socket. */
  readonly key: string;
  /** Sends one datagram to the client; lossy, never blocks. */
  send(datagram: Uint8Array): void;
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
