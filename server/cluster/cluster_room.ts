/**
 * A room as one node of a deployment sees it: its members on this node, in
 * join order, driven only by the room's channel.
 *
 * Nothing is delivered to a local member on the way out: a room message is
 * PUBLISHed, and every node (this one too) delivers it to its own members
 * when it comes back on the room's channel. Joins and leaves come back the
 * same way, from the scripts that decided them. Redis runs one command at a
 * time and each subscriber connection receives a channel's messages in that
 * order, so every member on every node sees one sequence of joins, leaves,
 * master changes and messages: a total order per room for every mode (the
 * ordered modes need nothing more), a member's messages after its join
 * notice and none after its leave notice.
 *
 * @example
 * ```ts
 * import { ClusterRoom } from "./cluster_room.ts";
 * console.assert(typeof ClusterRoom === "function");
 * ```
 * @module
 */
import { encodeServerMessage } from "../../protocol/mod.ts";
import { type LossyDelivery, Room } from "../rooms/rooms.ts";
import { OPEN_LOCK } from "../rooms/room_lock.ts";
import type { Peer } from "../sessions/peer.ts";
import { busFrame, BusType, idsIn, senderOf } from "./bus_frames.ts";

const LF = 0x0a;

/** What a room needs of its registry. */
export interface ClusterRoomHost {
  /** PUBLISHes on the room's channel; a promise while the sender should wait. */
  publish(room: ClusterRoom, data: Uint8Array): void | Promise<void>;
  /** The live local session with this id, if any. */
  local(id: number): Peer | undefined;
  /** Called when the room may have no local members and no local interest left. */
  released(room: ClusterRoom): void;
  /** Past this many queued TCP bytes, a lossy delivery is skipped. */
  readonly maxLossyQueuedBytes: number;
}

/** One room's local members, fed by its channel. */
export class ClusterRoom extends Room {
  /** Local sessions in the room or on their way in (joins not yet answered). */
  interest = 0;
  /** Settles once this node is subscribed to the room's channel. */
  ready: Promise<void> = Promise.resolve();
  /** The channel's listener (kept to unsubscribe it). */
  readonly listener = (data: Uint8Array) => this.received(data);

  /** A room called `name`, on `host`'s channel. */
  constructor(
    name: string,
    readonly channel: string,
    readonly host: ClusterRoomHost,
  ) {
    super(name, OPEN_LOCK);
  }

  override fanOut(frame: Uint8Array, skip: Peer | null): void | Promise<void> {
    const type = skip === null ? BusType.ToAll : BusType.ToOthers;
    return this.host.publish(this, busFrame(type, frame));
  }

  override fanOutLossy(message: LossyDelivery, skip: Peer | null): void {
    const type = skip === null ? BusType.LossyToAll : BusType.LossyToOthers;
    void this.host.publish(this, busFrame(type, message.frame));
  }

  /**
   * One message from the room's channel: a join or leave notice, or one or
   * more room messages (`<type><line>` each, published together).
   */
  received(data: Uint8Array): void {
    switch (data[0]) {
      case BusType.ToOthers:
      case BusType.ToAll:
      case BusType.LossyToOthers:
      case BusType.LossyToAll: {
        let start = 0;
        while (start < data.length) {
          const next = data.indexOf(LF, start) + 1;
          const end = next === 0 ? data.length : next;
          this.#message(data[start]!, data.subarray(start + 1, end));
          start = end;
        }
        return;
      }
      case BusType.Join:
        this.#joined(idsIn(data, 1, data.length));
        return;
      case BusType.Leave: {
        const [id, master] = idsIn(data, 1, data.length);
        this.#left(id!, master);
        return;
      }
    }
  }

  #message(type: number, line: Uint8Array): void {
    if (type === BusType.ToOthers || type === BusType.ToAll) {
      const skip = type === BusType.ToOthers ? senderOf(line) : -1;
      const members = this.members;
      for (let i = 0; i < members.length; i++) {
        const member = members[i]!;
        if (member.id !== skip) member.send(line);
      }
    } else this.#lossy(type, line);
  }

  #lossy(type: number, line: Uint8Array): void {
    const datagram = line.subarray(0, line.length - 1);
    const skip = type === BusType.LossyToOthers ? senderOf(line) : -1;
    const max = this.host.maxLossyQueuedBytes;
    for (const member of this.members) {
      if (member.id === skip) continue;
      if (member.sendLossy === undefined) member.send(line);
      else member.sendLossy(line, datagram, max);
    }
  }

  /** `ids`: the members in join order after the join, joiner last. */
  #joined(ids: number[]): void {
    const joiner = ids[ids.length - 1]!;
    const frame = encodeServerMessage({
      kind: "joined",
      id: joiner,
      room: this.name,
    });
    for (const member of this.members) member.send(frame);
    const peer = this.host.local(joiner);
    if (peer === undefined || this.members.includes(peer)) return;
    this.members.push(peer);
    peer.send(frame);
    for (const id of ids) {
      if (id !== joiner) {
        peer.send(
          encodeServerMessage({ kind: "joined", id, room: this.name }),
        );
      }
    }
    peer.send(encodeServerMessage({ kind: "master", id: ids[0]! }));
  }

  /**
   * A local member whose session is ending gets its own `2:id:` now, as on
   * one server, and nothing more from the room: its connection closes once
   * that line is written, before the leave notice could come back.
   */
  depart(peer: Peer): void {
    const index = this.members.indexOf(peer);
    if (index === -1) return;
    this.members.splice(index, 1);
    peer.send(encodeServerMessage({ kind: "left", id: peer.id }));
  }

  #left(id: number, master: number | undefined): void {
    const left = encodeServerMessage({ kind: "left", id });
    const index = this.members.findIndex((member) => member.id === id);
    if (index !== -1) this.members.splice(index, 1)[0]!.send(left);
    for (const member of this.members) member.send(left);
    if (master !== undefined) {
      const frame = encodeServerMessage({ kind: "master", id: master });
      for (const member of this.members) member.send(frame);
    }
    this.host.released(this);
  }
}
