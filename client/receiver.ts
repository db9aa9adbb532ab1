/**
 * What a client does with each line from the server before its listeners
 * get it: the room state and the waiting requests learn from it, a new login
 * or a logout ends the session's UDP channel and resume state, and the
 * server's ending of our session (or closing of the connection on purpose)
 * is said, without a rejoin.
 *
 * @example
 * ```ts ignore
 * import { Receiver } from "./receiver.ts";
 * // RelayClient builds one; every line from the connection goes to receive().
 * ```
 * @module
 */
import type { ClientEvents } from "./client_events.ts";
import { decodeIncoming, type Incoming } from "./incoming.ts";
import type { Rejoin } from "./rejoin.ts";
import type { RequestQueue } from "./request_queue.ts";
import type { RoomState } from "./room_state.ts";
import type { Subscribers } from "./subscribers.ts";

/**
 * Codes of `9:?:…` lines after which the server closes the connection on
 * purpose: a reconnecting client does not come back after those.
 */
const SERVER_CLOSES: ReadonlySet<string> = new Set([
  "line-too-long",
  "internal",
  "idle-timeout",
  "login-timeout",
  "server-full",
  "too-many-connections",
]);

/** What the receiver updates and tells. */
export interface ReceiverParts {
  readonly state: RoomState;
  readonly requests: RequestQueue;
  readonly incoming: Subscribers<Incoming>;
  readonly rejoin: Rejoin;
  readonly events: ClientEvents;
  /** A new login or a logout: what belonged to the old session goes. */
  sessionChanged(): void;
}

/** A client's handling of the server's lines. */
export class Receiver {
  readonly #parts: ReceiverParts;
  /** `9:0:<code>:<text>` just before a `0:-1` that ends our session. */
  #endNotice: { code: string; text: string } | null = null;

  /** The receiver of one client. */
  constructor(parts: ReceiverParts) {
    this.#parts = parts;
  }

  /** One line from the server (without its `\n`). */
  receive(line: Uint8Array): void {
    const { state, requests, incoming: listeners } = this.#parts;
    const incoming = decodeIncoming(line);
    const msg = incoming.message;
    if (msg.kind !== "unknown") {
      const self = state.sessionId;
      // A channel belongs to its session: a new login or a logout ends it.
      if (msg.kind === "welcome" || msg.kind === "logged-out") {
        this.#parts.sessionChanged();
        if (msg.kind === "logged-out" && self !== null) this.#endedByServer();
      }
      if (msg.kind === "error" && msg.command === "0") {
        this.#endNotice = { code: msg.code, text: msg.text };
      }
      if (
        msg.kind === "error" && msg.command === "?" &&
        SERVER_CLOSES.has(msg.code)
      ) {
        // The server closes this connection on purpose: nothing to get back to.
        this.#endNotice = { code: msg.code, text: msg.text };
        this.#endedByServer();
      }
      state.apply(msg);
      requests.offer(msg, self);
    }
    listeners.deliver(incoming);
  }

  /** The server ended our session (`0:-1`): no rejoin; say why. */
  #endedByServer(): void {
    const { rejoin, events, state } = this.#parts;
    const notice = this.#endNotice;
    this.#endNotice = null;
    const back = rejoin.wanted;
    rejoin.forget();
    if (!back) return;
    events.emit("session-ended", {
      sessionId: state.sessionId,
      code: notice?.code ?? "logged-out",
      reason: notice?.text ?? "the server ended the session",
      rejoining: false,
    });
  }
}
