/**
 * The sessions of this server, by id and by username, and how they end.
 *
 * @example
 * ```ts
 * import { SessionRegistry } from "./sessions.ts";
 * import { LocalRooms } from "../rooms/rooms.ts";
 * import { Session } from "./session.ts";
 * const sessions = new SessionRegistry(new LocalRooms({ maxRooms: 1 }));
 * const ada = new Session(1, "ada", { send() {}, close() {} });
 * sessions.add(ada);
 * console.assert(sessions.get(1) === ada);
 * sessions.end(ada);
 * console.assert(sessions.size === 0);
 * ```
 * @module
 */
import { encodeServerMessage, type ErrorCode } from "../../protocol/mod.ts";
import { errorFrame } from "../handlers/refuse.ts";
import type { RoomRegistry } from "../rooms/rooms.ts";
import type { Revocation } from "../store/mod.ts";
import { RecentRevocations } from "./recent_revocations.ts";
import type { Session } from "./session.ts";

/** What a revoked session is told (`9:0:revoked:<text>`) and logs, by reason. */
const REVOKED: Readonly<
  Record<string, { readonly text: string; readonly log: string }>
> = {
  disabled: { text: "your account was disabled", log: "account disabled" },
  removed: { text: "your account was removed", log: "account removed" },
  password: {
    text: "your password was changed; log in with the new one",
    log: "password changed",
  },
};

const LOGGED_OUT = encodeServerMessage({ kind: "logged-out" });

/** Live sessions, and the rules for ending them. */
export class SessionRegistry {
  readonly #byId = new Map<number, Session>();
  readonly #byName = new Map<string, Session>();
  readonly #recent = new RecentRevocations();

  /** Creates a registry whose sessions live in `rooms`. */
  constructor(
    readonly rooms: RoomRegistry,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** Number of live sessions. */
  get size(): number {
    return this.#byId.size;
  }

  /** The session with id `id`. */
  get(id: number): Session | undefined {
    return this.#byId.get(id);
  }

  /** The session of `username`. */
  byName(username: string): Session | undefined {
    return this.#byName.get(username);
  }

  /** Every live session. */
  values(): IterableIterator<Session> {
    return this.#byId.values();
  }

  /** Registers a new session; its username must have no other session. */
  add(session: Session): void {
    this.#byId.set(session.id, session);
    this.#byName.set(session.username, session);
  }

  /** Ends a session: it leaves its room (others are told) and is forgotten. */
  end(session: Session): void {
    if (!session.active) return;
    if (session.room !== null) {
      const room = session.room;
      session.room = null;
      this.rooms.leave(session, room);
    }
    session.active = false;
    session.udp?.close();
    session.clearGroups();
    session.resume?.ended();
    this.#byId.delete(session.id);
    if (this.#byName.get(session.username) === session) {
      this.#byName.delete(session.username);
    }
  }

  /**
   * Ends a session from the server's side, telling the client why: it gets
   * `9:0:<code>:<text>`, then `0:-1`, leaves its room (the others are told),
   * and its connection is closed with `reason` (for the log).
   */
  endWithReason(
    session: Session,
    code: ErrorCode,
    text: string,
    reason: string,
  ): void {
    session.send(errorFrame("0", code, text));
    session.send(LOGGED_OUT);
    this.end(session);
    session.link.close(reason);
  }

  /**
   * Applies a revocation of an account (disabled, removed, new password):
   * the user's session, if its login was checked before the revocation,
   * ends with `9:0:revoked:<why>`, `0:-1`, its room told, its UDP channel
   * closed, its connection closed. Returns the session ended, if any.
   */
  revoke(revocation: Pick<Revocation, "id" | "username" | "reason">) {
    this.#recent.note(revocation.username, revocation.id, this.now());
    const session = this.#byName.get(revocation.username);
    if (
      session === undefined || session.accountRevision === null ||
      session.accountRevision >= revocation.id
    ) {
      return undefined;
    }
    // A reason from a newer schema is still a revocation.
    const why = REVOKED[revocation.reason] ??
      { text: "your account was changed", log: "account changed" };
    this.endWithReason(session, "revoked", why.text, why.log);
    return session;
  }

  /**
   * Whether `username`, its account read at `revision`, has been revoked
   * since: its login must then be refused (the revocation found no session
   * to end).
   */
  revokedSince(username: string, revision: number | null): boolean {
    return revision !== null &&
      this.#recent.revokedSince(username, revision, this.now());
  }

  /** Ends a session because its user logged in again elsewhere. */
  supersede(session: Session): void {
    this.endWithReason(
      session,
      "superseded",
      "you logged in on another connection",
      "logged in elsewhere",
    );
  }
}
