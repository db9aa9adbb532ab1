/**
 * A member of a room or a recipient of a message, wherever it lives.
 *
 * Rooms hold peers, not sessions, so that a member served by another
 * process of the same deployment can be a room member too.
 *
 * @example
 * ```ts
 * import type { Peer } from "./peer.ts";
 * const frames: Uint8Array[] = [];
 * const peer: Peer = { id: 7, send: (frame) => frames.push(frame) };
 * ```
 * @module
 */
import type { Delivery } from "../udp/udp_channel.ts";

/** Something that can receive frames: complete encoded server lines. */
export interface Peer {
  /** The session id, unique across the deployment. */
  readonly id: number;
  /** Queues one frame; frames are shared between peers and never mutated. */
  send(frame: Uint8Array): void;
  /**
   * Sends a lossy (UDP-origin) message, as `datagram` (no `\n`) or as
   * `frame`; peers without it get `frame` through {@linkcode send}.
   */
  sendLossy?(
    frame: Uint8Array,
    datagram: Uint8Array,
    maxQueuedBytes: number,
  ): Delivery;
}
