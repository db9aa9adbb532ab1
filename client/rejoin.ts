/**
 * What a reconnecting client remembers to get back into its place when its
 * session could not be resumed: how it logged in, the room it was in (with
 * its password) and whether its UDP channel was open; and the fresh login
 * and rejoin themselves. Kept in memory only, only with `reconnect` on.
 *
 * @example
 * ```ts
 * import { Rejoin } from "./rejoin.ts";
 * const rejoin = new Rejoin();
 * rejoin.loggedIn("ada", "pw");
 * console.assert(rejoin.wanted);
 * ```
 * @module
 */
import type { ClientEvents } from "./client_events.ts";
import { ConnectionClosedError, LoginRefusedError } from "./errors.ts";

/** The client's calls a rejoin makes. */
export interface RejoinTarget {
  login(username: string, password: string): Promise<number>;
  join(room: string, password: string): Promise<unknown>;
  openUdp(): Promise<void>;
  close(): Promise<unknown>;
  readonly sessionId: number | null;
  readonly room: string | null;
}

/** A reconnecting client's place, and how to take it again. */
export class Rejoin {
  #login: { readonly username: string; readonly password: string } | null =
    null;
  #room: { readonly room: string; readonly password: string } | null = null;
  /** The UDP channel was open when the session ended. */
  udp = false;

  /** Whether there is a session to get back to. */
  get wanted(): boolean {
    return this.#login !== null;
  }

  /** A login succeeded. */
  loggedIn(username: string, password: string): void {
    this.#login = { username, password };
  }

  /** The server ended the session (superseded, kicked): do not log in again. */
  forget(): void {
    this.#login = null;
    this.#room = null;
  }

  /** A join succeeded. */
  joined(room: string, password: string): void {
    this.#room = { room, password };
  }

  /** We left our room. */
  left(): void {
    this.#room = null;
  }

  /**
   * Logs in afresh, rejoins the room `inRoom` (if it is the one joined),
   * reopens UDP if it was open; says so with `rejoined`. A refused login
   * ends the client (`session-ended`, then closed); a drop meanwhile is left
   * to the connection, which tries again.
   */
  async run(
    client: RejoinTarget,
    inRoom: string | null,
    events: ClientEvents,
  ): Promise<void> {
    const login = this.#login;
    const room = this.#room?.room === inRoom ? this.#room : null;
    const udp = this.udp;
    if (login === null) return;
    try {
      await client.login(login.username, login.password);
    } catch (error) {
      if (error instanceof ConnectionClosedError) return;
      this.forget();
      events.emit("session-ended", {
        sessionId: null,
        code: error instanceof LoginRefusedError
          ? "login-refused"
          : (error as { code?: string }).code ?? "login-failed",
        reason: (error as Error).message,
        rejoining: false,
      });
      await client.close();
      return;
    }
    if (room !== null) {
      try {
        await client.join(room.room, room.password);
      } catch (error) {
        if (error instanceof ConnectionClosedError) return;
        this.left();
      }
    }
    if (udp) await client.openUdp().catch(() => {});
    events.emit("rejoined", {
      sessionId: client.sessionId!,
      room: client.room,
    });
  }
}
