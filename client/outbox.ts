/**
 * How a client's lines go out: requests tracked until answered (with a
 * timeout), messages over TCP or the UDP channel, and the listeners told of
 * each line written.
 *
 * @example
 * ```ts ignore
 * import { Outbox } from "./outbox.ts";
 * // RelayClient builds one once connected; its send methods go through it.
 * ```
 * @module
 */
import { type ClientMessage, encodeClientMessage } from "../protocol/mod.ts";
import type { Channel, ChannelName, SendOptions } from "./channel.ts";
import type { ClientLimits } from "./client_limits.ts";
import type { ClientUdp } from "./client_udp.ts";
import {
  ConnectionClosedError,
  NotLoggedInError,
  UdpUnavailableError,
} from "./errors.ts";
import type { LineConnection } from "./line_connection.ts";
import type { Request, RequestQueue, RequestResults } from "./request_queue.ts";
import type { RoomState } from "./room_state.ts";
import { checkLineLength } from "./validate.ts";
import { withTimeout } from "./with_timeout.ts";

/** What the outbox writes through and checks against. */
export interface OutboxParts {
  readonly conn: LineConnection;
  readonly limits: ClientLimits;
  readonly requests: RequestQueue;
  readonly state: RoomState;
  readonly udp: ClientUdp;
}

/** A client's way out: every line it writes goes through here. */
export class Outbox {
  readonly #parts: OutboxParts;
  readonly #sent = new Set<(line: Uint8Array, via: ChannelName) => void>();
  readonly #tcp: Channel;

  /** The outbox of one connection. */
  constructor(parts: OutboxParts) {
    this.#parts = parts;
    this.#tcp = {
      name: "tcp",
      send: (msg) => this.write(encodeClientMessage(msg)),
    };
  }

  /** Calls `listener` with every line written; returns the unsubscriber. */
  onSent(listener: (line: Uint8Array, via: ChannelName) => void): () => void {
    this.#sent.add(listener);
    return () => this.#sent.delete(listener);
  }

  /**
   * Writes `msg` and resolves with the answer to `request`.
   *
   * @throws {ConnectionClosedError} when the connection is closed.
   * @throws {RequestTimeoutError} when no answer comes in time.
   */
  request<R extends Request>(
    request: R,
    msg: ClientMessage,
  ): Promise<RequestResults[R["kind"]]> {
    const { conn, limits, requests } = this.#parts;
    const frame = encodeClientMessage(msg);
    checkLineLength(frame, limits.maxLineBytes);
    if (conn.isClosed) throw new ConnectionClosedError();
    const answer = requests.track(request);
    this.write(frame).catch(() => {
      // a failed write ends the connection, which fails every request
    });
    return withTimeout(answer, limits.requestTimeoutMs, request.kind);
  }

  /**
   * Sends `msg` over the channel `options` name (TCP by default).
   *
   * @throws {NotLoggedInError} before a login.
   * @throws {UdpUnavailableError} for UDP while its channel is not open.
   */
  deliver(msg: ClientMessage, options?: SendOptions): Promise<void> {
    const channel = options?.channel ?? "tcp";
    if (this.loggedOut()) {
      return Promise.reject(new NotLoggedInError(msg.kind));
    }
    if (channel === "udp") {
      const udp = this.#parts.udp.channel;
      return udp === null
        ? Promise.reject(
          new UdpUnavailableError("not open (call openUdp() after login)"),
        )
        : udp.send(msg).then(() => this.#sentOverUdp(msg));
    }
    checkLineLength(encodeClientMessage(msg), this.#parts.limits.maxLineBytes);
    return this.#tcp.send(msg);
  }

  /** Writes one line (with its `\n`) and tells the listeners. */
  write(frame: Uint8Array): Promise<void> {
    const written = this.#parts.conn.write(frame);
    for (const listener of this.#sent) listener(frame, "tcp");
    return written;
  }

  /** No session and none on the way: the server answers anything but a login with `0:-1`. */
  loggedOut(): boolean {
    return this.#parts.state.sessionId === null &&
      !this.#parts.requests.loginPending;
  }

  /** Tells the listeners of a datagram sent (encoded again only for them). */
  #sentOverUdp(msg: ClientMessage): void {
    if (this.#sent.size === 0) return;
    const line = encodeClientMessage(msg);
    for (const listener of this.#sent) listener(line, "udp");
  }
}
