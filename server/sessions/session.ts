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
import { messagePrefix } from "../../protocol/mod.ts";
import type { Peer } from "./peer.ts";
import type { Room } from "../rooms/rooms.ts";
import { TokenBucket } from "../limits/token_bucket.ts";
import { Delivery, type UdpChannel } from "../udp/udp_channel.ts";
import type { Resumable } from "../resume/resumable.ts";
import type { Traffic } from "../metrics/mod.ts";

/** The connection a session talks through. */
export interface SessionLink {
  /** Queues a frame for the client. */
  send(frame: Uint8Array): void;
  /** Closes the connection once queued frames are written. */
  close(reason: string): void;
  /** The peer's IP address, when the link has one (legacy UDP handshakes). */
  readonly remoteAddress?: string;
  /** Bytes queued and not yet written, when the link can tell. */
  readonly pendingBytes?: number;
  /** `address:port` of the peer, when the link has one. */
  readonly remote?: string;
  /** Lines and bytes in and out, when the link counts them. */
  readonly traffic?: Traffic;
  /**
   * True when the link is encrypted (TLS, WSS): the UDP handshake must then
   * prove the secret without showing it (the keyed form).
   */
  readonly encrypted?: boolean;
}

/** A logged-in client. */
export class Session implements Peer {
  /** `3:<id>:`, built once and copied into each message this client sends. */
  readonly prefix: Uint8Array;
  /** The room it is in, if any. */
  room: Room | null = null;
  /** When it joined {@linkcode room} (`Date.now()`), for the admin's status. */
  joinedAt = 0;
  /** When it logged in (`Date.now()`). */
  readonly since = Date.now();
  /** Its named groups (`5:`); most clients define none, so made on first use. */
  #groups: Map<string, readonly number[]> | null = null;
  /** False once the session has ended; an ended session receives nothing. */
  active = true;
  /** The secret its UDP handshake must prove; null when UDP is off. */
  udpSecret: string | null = null;
  /** The highest counter of a keyed UDP handshake accepted so far. */
  udpCounter = 0;
  /** Its UDP channel, once a handshake is done; it ends with the session. */
  udp: UdpChannel | null = null;
  /**
   * The account revision its login was checked at; a revocation of its user
   * with a higher id ends it. Null when no account was consulted.
   */
  accountRevision: number | null = null;
  /**
   * The rate of its datagrams, made with its first channel and kept when the
   * channel moves (so a new port does not refill it).
   */
  #datagramRate: TokenBucket | null = null;
  /**
   * Its resume state once its client asked for resume (`7:`); the
   * resumable is then its {@linkcode link}, in front of the connection.
   */
  resume: Resumable | null = null;

  /** Creates a session for `username` with id `id`. */
  constructor(
    readonly id: number,
    readonly username: string,
    /** Where its frames go: the connection, or its resumable in front of it. */
    public link: SessionLink,
  ) {
    this.prefix = messagePrefix(id);
  }

  /** The members of its group `name`, in the order given. */
  group(name: string): readonly number[] | undefined {
    return this.#groups?.get(name);
  }

  /** How many groups it has defined. */
  get groupCount(): number {
    return this.#groups?.size ?? 0;
  }

  /** Defines (replaces) group `name`; an empty list deletes it. */
  setGroup(name: string, members: readonly number[]): void {
    if (members.length === 0) this.#groups?.delete(name);
    else (this.#groups ??= new Map()).set(name, members);
  }

  /** Forgets every group (the session ended). */
  clearGroups(): void {
    this.#groups = null;
  }

  /**
   * Takes one datagram from its UDP rate at `now` (ms); false when over the
   * rate. `rate` and `burst` are the server's limits.
   */
  takeDatagram(now: number, rate: number, burst: number): boolean {
    return (this.#datagramRate ??= new TokenBucket(rate, burst, now)).take(now);
  }

  send(frame: Uint8Array): void {
    if (this.active) this.link.send(frame);
  }

  /**
   * Sends a lossy message: `datagram` over the UDP channel when there is
   * one, else `frame` over TCP, unless more than `maxQueuedBytes` already
   * wait there (lossy traffic is dropped rather than queued behind a full
   * queue: it never holds anyone back or gets a reader cut off).
   */
  sendLossy(
    frame: Uint8Array,
    datagram: Uint8Array,
    maxQueuedBytes: number,
  ): Delivery {
    if (!this.active) return Delivery.Skipped;
    const udp = this.udp;
    if (udp !== null) {
      udp.send(datagram);
      return Delivery.Datagram;
    }
    if ((this.link.pendingBytes ?? 0) > maxQueuedBytes) return Delivery.Skipped;
    this.link.send(frame);
    return Delivery.Line;
  }
}
