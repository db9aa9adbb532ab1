/**
 * One logged-in client: its id, name, room and groups.
 *
 * @example
 * ```ts
 * import { Session } from "./session.ts";
 * const session = new Session(7, "ada", { send() {}, close() {} });
 * console.assert(new TextDecoder().decode(session.prefix) === "3:7:");
 * ```
 * @module
 */
import { messagePrefix } from "../protocol/mod.ts";
import type { Peer } from "./peer.ts";
import type { Room } from "./rooms.ts";

/** The connection a session talks through. */
export interface SessionLink {
  /** Queues a frame for the client. */
  send(frame: Uint8Array): void;
  /** Closes the connection once queued frames are written. */
  close(reason: string): void;
}

/** A logged-in client. */
export class Session implements Peer {
  /** `3:<id>:`, built once and copied into each message this client sends. */
  readonly prefix: Uint8Array;
  /** The room it is in, if any. */
  room: Room | null = null;
  /** Its named groups (`5:`), member ids in the order given. */
  readonly groups = new Map<string, readonly number[]>();
  /** False once the session has ended; an ended session receives nothing. */
  active = true;

  /** Creates a session for `username` with id `id`. */
  constructor(
    readonly id: number,
    readonly username: string,
    readonly link: SessionLink,
  ) {
    this.prefix = messagePrefix(id);
  }

  send(frame: Uint8Array): void {
    if (this.active) this.link.send(frame);
  }
}
