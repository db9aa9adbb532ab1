/**
 * Messages that arrived as datagrams: `3:0`, `3:1`, `3:4`, `4:group`.
 *
 * The frame `3:<id>:<payload>\n` is built once per message; receivers with a
 * UDP channel get the same bytes without the `\n` (a view, not a copy) as a
 * datagram, the others get the frame over TCP. Nothing is ever answered:
 * what cannot be delivered is dropped and counted.
 *
 * @example
 * ```ts
 * import { relayDatagram } from "./udp_relay.ts";
 * console.assert(typeof relayDatagram === "function");
 * ```
 * @module
 */
import {
  type ClientMessage,
  relayFrame,
  SendMode,
} from "../../protocol/mod.ts";
import { highWaterOf } from "../connection/flow.ts";
import type { ServerContext } from "../context.ts";
import { forEachRecipient } from "../sessions/recipients.ts";
import type { Peer } from "../sessions/peer.ts";
import type { Session } from "../sessions/session.ts";
import type { LossyDelivery } from "../rooms/rooms.ts";
import { unique } from "../handlers/relay.ts";
import { Delivery } from "./udp_channel.ts";
import { DropReason, type UdpStats } from "./udp_stats.ts";

/** One message on its way to its receivers. */
class LossyMessage implements LossyDelivery {
  readonly frame: Uint8Array;
  readonly datagram: Uint8Array;
  /** Past this many queued TCP bytes (the high-water mark) a receiver is skipped. */
  readonly maxQueuedBytes: number;

  constructor(
    ctx: ServerContext,
    sender: Session,
    payload: Uint8Array,
    readonly stats: UdpStats,
  ) {
    this.frame = relayFrame(sender.prefix, payload);
    this.datagram = this.frame.subarray(0, this.frame.length - 1);
    this.maxQueuedBytes = highWaterOf(ctx.limits);
  }

  to(peer: Peer): void {
    if (peer.sendLossy === undefined) {
      peer.send(this.frame);
      this.stats.tcpFallbacks++;
      return;
    }
    const how = peer.sendLossy(this.frame, this.datagram, this.maxQueuedBytes);
    if (how === Delivery.Line) this.stats.tcpFallbacks++;
    else if (how === Delivery.Skipped) this.stats.drop(DropReason.ReceiverFull);
  }
}

/**
 * Relays one datagram's message from `session`; returns why it was dropped,
 * or null when it was relayed.
 */
export function relayDatagram(
  ctx: ServerContext,
  session: Session,
  msg: ClientMessage,
  stats: UdpStats,
): DropReason | null {
  switch (msg.kind) {
    case "send": {
      if (msg.mode !== SendMode.Others && msg.mode !== SendMode.All) {
        return DropReason.RefusedMode;
      }
      const room = session.room;
      if (room === null) return DropReason.Undeliverable;
      const message = new LossyMessage(ctx, session, msg.payload, stats);
      room.fanOutLossy(message, msg.mode === SendMode.Others ? session : null);
      return null;
    }
    case "send-users": {
      const message = new LossyMessage(ctx, session, msg.payload, stats);
      if (ctx.remote) {
        void ctx.remote.send(unique(msg.to), message.frame, true);
        return null;
      }
      // Ids without a session are skipped: nothing is ever answered over UDP.
      forEachRecipient(ctx, msg.to, true, (peer) => message.to(peer));
      return null;
    }
    case "send-group": {
      const members = session.group(msg.group);
      if (members === undefined) return DropReason.Undeliverable;
      const message = new LossyMessage(ctx, session, msg.payload, stats);
      if (ctx.remote) {
        void ctx.remote.send(members, message.frame, true);
        return null;
      }
      // Groups hold each member once already.
      forEachRecipient(ctx, members, false, (peer) => message.to(peer));
      return null;
    }
    default:
      return DropReason.RefusedMode;
  }
}
