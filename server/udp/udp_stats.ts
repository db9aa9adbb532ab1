/**
 * Counters of the UDP channel: datagrams in and out, relayed messages out
 * (and how many of them packing saved a datagram for), and every drop by
 * reason. Drops are never answered, so these counters (and the logs) are the
 * only place they show.
 *
 * @example
 * ```ts
 * import { DropReason, UdpStats } from "./udp_stats.ts";
 * const stats = new UdpStats();
 * stats.drop(DropReason.Oversized);
 * console.assert(stats.dropped.oversized === 1);
 * ```
 * @module
 */

/** Why a datagram (or one lossy delivery) was dropped. */
export const DropReason = {
  /** Not a handshake and not a client message (or a malformed handshake). */
  Malformed: "malformed",
  /** Larger than `maxDatagramBytes`; not even looked at. */
  Oversized: "oversized",
  /** A message from an address:port that has no channel. */
  UnknownSender: "unknown-sender",
  /** A command UDP does not carry: `3:2`, `3:3`, `1:`, `2:`, `5:`. */
  RefusedMode: "refused-mode",
  /** A handshake for no session, with a wrong secret, or a bare one refused. */
  BadHandshake: "bad-handshake",
  /** A room send outside a room, or a send to an undefined group. */
  Undeliverable: "undeliverable",
  /** One delivery over TCP skipped: the receiver's queue is over its high-water mark. */
  ReceiverFull: "receiver-full",
  /** One datagram the system would not send. */
  SendFailed: "send-failed",
  /** Over the channel's datagram rate (`maxDatagramsPerSecond`, with a burst). */
  RateLimited: "rate-limited",
} as const;

/** One of the {@linkcode DropReason} values. */
export type DropReason = typeof DropReason[keyof typeof DropReason];

/** Live counters; read them, never write them from outside the channel. */
export class UdpStats {
  /** Datagrams read from the socket, accepted or not. */
  datagramsIn = 0;
  /** Datagrams handed to the socket: relayed messages and handshake replies. */
  datagramsOut = 0;
  /** Relayed messages sent over UDP channels, one per receiver, packed or not. */
  messagesOut = 0;
  /**
   * Of those, the messages that went out in a datagram after another
   * message: each is a datagram saved by packing.
   */
  messagesPacked = 0;
  /** UDP-origin messages delivered over TCP to receivers without a channel. */
  tcpFallbacks = 0;
  /** Drops by reason. */
  readonly dropped: Record<DropReason, number> = {
    "malformed": 0,
    "oversized": 0,
    "unknown-sender": 0,
    "refused-mode": 0,
    "bad-handshake": 0,
    "undeliverable": 0,
    "receiver-full": 0,
    "send-failed": 0,
    "rate-limited": 0,
  };

  /** Counts one drop. */
  drop(reason: DropReason): void {
    this.dropped[reason]++;
  }

  /** A copy, for logs and tests. */
  snapshot(): UdpStatsSnapshot {
    return {
      datagramsIn: this.datagramsIn,
      datagramsOut: this.datagramsOut,
      messagesOut: this.messagesOut,
      messagesPacked: this.messagesPacked,
      tcpFallbacks: this.tcpFallbacks,
      dropped: { ...this.dropped },
    };
  }
}

/** A copy of {@linkcode UdpStats} at one moment. */
export interface UdpStatsSnapshot {
  readonly datagramsIn: number;
  readonly datagramsOut: number;
  readonly messagesOut: number;
  readonly messagesPacked: number;
  readonly tcpFallbacks: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
}
