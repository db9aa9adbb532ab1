/**
 * What a {@linkcode RelayClient} reports about its connection and session,
 * besides the lines it receives: a drop, a resume, a session that ended,
 * and the fresh login and rejoin that replaced it. A listener that throws is
 * reported as an uncaught error; the others still get the event.
 *
 * @example
 * ```ts
 * import { ClientEvents } from "./client_events.ts";
 * const events = new ClientEvents();
 * let downtime = -1;
 * events.on("resumed", (e) => downtime = e.downtimeMs);
 * events.emit("resumed", { sessionId: 1, downtimeMs: 12, resent: 0, attempts: 1 });
 * console.assert(downtime === 12);
 * ```
 * @module
 */

/** The events and what each carries. */
export interface ClientEventMap {
  /** The connection dropped; the client is getting back (resuming when it can). */
  disconnected: {
    /** The transport's error, if any. */
    readonly error?: Error;
    /** Whether the session can be resumed (else a fresh login follows). */
    readonly resumable: boolean;
  };
  /** The session was resumed on a new connection: nothing was lost. */
  resumed: {
    readonly sessionId: number;
    /** From the drop to the resume's answer. */
    readonly downtimeMs: number;
    /** Our lines the server had not received, sent again. */
    readonly resent: number;
    /** Connections tried. */
    readonly attempts: number;
  };
  /**
   * The session ended: the server ended it (superseded, kicked, revoked),
   * a resume was refused (too late), or the server could not be reached.
   */
  "session-ended": {
    readonly sessionId: number | null;
    /** `resume-refused`, `unreachable`, or the server's code (`superseded`, ...). */
    readonly code: string;
    readonly reason: string;
    /** True when the client logs in afresh and rejoins its room (then `rejoined`). */
    readonly rejoining: boolean;
  };
  /** After a session ended: logged in afresh and back in the room. */
  rejoined: {
    readonly sessionId: number;
    readonly room: string | null;
  };
}

/** Listeners by event. */
export class ClientEvents {
  readonly #listeners = new Map<
    keyof ClientEventMap,
    Set<(event: never) => void>
  >();

  /** Calls `listener` on each `type` event; returns the unsubscriber. */
  on<K extends keyof ClientEventMap>(
    type: K,
    listener: (event: ClientEventMap[K]) => void,
  ): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, set = new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Hands `event` to every listener of `type`. */
  emit<K extends keyof ClientEventMap>(
    type: K,
    event: ClientEventMap[K],
  ): void {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        (listener as (event: ClientEventMap[K]) => void)(event);
      } catch (error) {
        reportError(error);
      }
    }
  }
}
