/**
 * What an operator can do to a running server: kick a session, close a
 * room, send a notice, drain. The HTTP endpoint and the library share
 * these; each is logged (`admin.*`) and counted.
 *
 * @example
 * ```ts
 * import { RelayServer } from "../relay_server.ts";
 * import { AdminActions } from "./admin_actions.ts";
 * await using server = await RelayServer.start({ port: 0, udp: false });
 * const actions = new AdminActions(server);
 * console.assert(actions.notice("restart at 10:00").receivers === 0);
 * ```
 * @module
 */
import {
  encodeServerMessage,
  ErrorCode,
  NoticeScope,
} from "../../protocol/mod.ts";
import type { RelayServer } from "../relay_server.ts";
import type { Room } from "../rooms/rooms.ts";
import type { Session } from "../sessions/session.ts";

/** Longest notice or reason text, in UTF-8 bytes. */
export const MAX_NOTICE_BYTES = 1000;

/** Why an action was not done. */
export class AdminActionError extends Error {
  override readonly name = "AdminActionError";

  /** `invalid` input, `not-found` target, or `conflict` (already draining). */
  constructor(
    readonly code: "invalid" | "not-found" | "conflict",
    message: string,
  ) {
    super(message);
  }
}

/** Who to kick: a session id or a username. */
export type KickTarget = { readonly session: number } | {
  readonly user: string;
};

/** What {@linkcode AdminActions.drain} does. */
export interface DrainOptions {
  /** Told to everyone as `8:server:<notice>`; a default text says when. */
  readonly notice?: string;
  /** How long clients have to leave before their sessions are ended. */
  readonly timeoutMs: number;
}

/** A drain in progress or done. */
export interface DrainState {
  /** When it began (`Date.now()`). */
  readonly since: number;
  /** When sessions still there are ended (`Date.now()` clock). */
  readonly deadline: number;
  readonly notice: string;
  /** Set once every connection has gone. */
  readonly result: DrainResult | null;
}

/** How a drain ended. */
export interface DrainResult {
  /** Connections that left within the time allowed. */
  readonly left: number;
  /** Sessions ended at the deadline (`9:0:shutting-down:…`). */
  readonly ended: number;
  readonly ms: number;
}

const utf8 = new TextEncoder();

/** The operator's actions on one server. */
export class AdminActions {
  readonly #server: RelayServer;
  #drain: { state: DrainState; done: Promise<DrainResult> } | null = null;

  /** Acts on `server`. */
  constructor(server: RelayServer) {
    this.#server = server;
  }

  /**
   * Ends a session: the client gets `9:0:kicked:<reason>` then `0:-1`,
   * its room is told it left, its connection closes.
   *
   * @throws {AdminActionError} `not-found`, or `invalid` reason text.
   */
  kick(target: KickTarget, reason?: string): { session: number; user: string } {
    const text = reason === undefined || reason === ""
      ? "removed by the server's operator"
      : checkText(reason, "reason");
    const ctx = this.#server.ctx;
    const session = "session" in target
      ? ctx.sessions.get(target.session)
      : ctx.sessions.byName(target.user);
    if (session === undefined) {
      throw new AdminActionError(
        "not-found",
        "session" in target
          ? `no session ${target.session}`
          : `user ${target.user} has no session`,
      );
    }
    ctx.sessions.endWithReason(session, ErrorCode.Kicked, text, "kicked");
    ctx.metrics.kicks++;
    ctx.logger.info("admin.kick", {
      session: session.id,
      user: session.username,
      reason: text,
    });
    return { session: session.id, user: session.username };
  }

  /**
   * Empties a room of this server's members: with a reason, they first get
   * `8:room:<reason>`; then each leaves as if it had sent `2:-1` (newest
   * first, so the master does not change hands on the way), and everyone
   * gets the `2:id:` lines. An ad-hoc room then disappears; a declared one
   * stays, empty. (In a deployment, members on other servers stay.)
   *
   * @throws {AdminActionError} `not-found`, or `invalid` reason text.
   */
  closeRoom(name: string, reason?: string): { room: string; members: number } {
    const text = reason === undefined || reason === ""
      ? null
      : checkText(reason, "reason");
    const ctx = this.#server.ctx;
    const room = this.#server.rooms.get(name);
    if (room === undefined) {
      throw new AdminActionError("not-found", `no room ${name}`);
    }
    // This server's own members: in a deployment, members on other servers
    // are theirs to act on.
    const members = this.#localMembers(room);
    if (text !== null) {
      const frame = noticeFrame(NoticeScope.Room, text);
      for (const session of members) session.send(frame);
      ctx.metrics.notices += members.length;
    }
    for (let i = members.length - 1; i >= 0; i--) {
      const session = members[i]!;
      session.room = null;
      ctx.rooms.leave(session, room);
    }
    ctx.metrics.roomsClosed++;
    ctx.logger.info("admin.close_room", {
      room: name,
      members: members.length,
      reason: text ?? undefined,
    });
    return { room: name, members: members.length };
  }

  /**
   * Sends `8:server:<text>` to every session of this server, or
   * `8:room:<text>` to its members of `room`. Returns how many got it.
   *
   * @throws {AdminActionError} `not-found` room, or `invalid` text.
   */
  notice(text: string, room?: string): { receivers: number } {
    const checked = checkText(text, "notice");
    const ctx = this.#server.ctx;
    let receivers = 0;
    if (room === undefined) {
      const frame = noticeFrame(NoticeScope.Server, checked);
      for (const session of ctx.sessions.values()) {
        session.send(frame);
        receivers++;
      }
    } else {
      const target = this.#server.rooms.get(room);
      if (target === undefined) {
        throw new AdminActionError("not-found", `no room ${room}`);
      }
      const frame = noticeFrame(NoticeScope.Room, checked);
      for (const session of this.#localMembers(target)) {
        session.send(frame);
        receivers++;
      }
    }
    ctx.metrics.notices += receivers;
    ctx.logger.info("admin.notice", { room, receivers });
    return { receivers };
  }

  /** The members of `room` that are sessions of this server, in join order. */
  #localMembers(room: Room): Session[] {
    const sessions = this.#server.ctx.sessions;
    const local: Session[] = [];
    for (const peer of room.members) {
      const session = sessions.get(peer.id);
      if (session === peer) local.push(session);
    }
    return local;
  }

  /** The drain in progress or done, if one was started. */
  get draining(): DrainState | null {
    return this.#drain?.state ?? null;
  }

  /**
   * Drains the server: stops accepting connections, tells every session
   * with `8:server:<notice>`, waits until every connection has gone or
   * `timeoutMs` has passed, then ends the sessions still there
   * (`9:0:shutting-down:…`, `0:-1`) and closes the rest. Resolves once no
   * connection is left. What follows (stopping the process) is the
   * caller's business.
   *
   * @throws {AdminActionError} `conflict` when a drain was already
   * started, `invalid` notice or time.
   */
  drain(options: DrainOptions): Promise<DrainResult> {
    const { timeoutMs } = options;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) {
      throw new AdminActionError(
        "invalid",
        `the drain timeout must be a whole number of ms, got ${timeoutMs}`,
      );
    }
    const notice = options.notice === undefined || options.notice === ""
      ? `the server is closing; please leave within ${
        Math.ceil(timeoutMs / 1000)
      } s`
      : checkText(options.notice, "notice");
    if (this.#drain !== null) {
      throw new AdminActionError("conflict", "the server is draining already");
    }
    const since = Date.now();
    const state: { -readonly [K in keyof DrainState]: DrainState[K] } = {
      since,
      deadline: since + timeoutMs,
      notice,
      result: null,
    };
    const done = this.#runDrain(state, timeoutMs);
    this.#drain = { state, done };
    return done;
  }

  async #runDrain(
    state: { -readonly [K in keyof DrainState]: DrainState[K] },
    timeoutMs: number,
  ): Promise<DrainResult> {
    const server = this.#server;
    const ctx = server.ctx;
    const started = performance.now();
    const stopped = server.stopAccepting();
    const frame = noticeFrame(NoticeScope.Server, state.notice);
    for (const session of ctx.sessions.values()) session.send(frame);
    ctx.metrics.notices += ctx.sessions.size;
    const open = server.connectionCount;
    ctx.logger.info("admin.drain", {
      connections: open,
      sessions: ctx.sessions.size,
      timeout_ms: timeoutMs,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), timeoutMs);
    });
    const outcome = await Promise.race([server.whenNoConnections(), late]);
    clearTimeout(timer);
    let ended = 0;
    const left = open - server.connectionCount;
    if (outcome === "late") {
      for (const connection of [...server.connections]) {
        const session: Session | null = connection.session;
        if (session === null) connection.close("server draining");
        else {
          ended++;
          ctx.sessions.endWithReason(
            session,
            ErrorCode.ShuttingDown,
            "the server has closed",
            "server draining",
          );
        }
      }
      await server.whenNoConnections();
    }
    await stopped;
    const result = { left, ended, ms: Math.round(performance.now() - started) };
    state.result = result;
    ctx.logger.info("admin.drained", { ...result });
    return result;
  }
}

function noticeFrame(scope: string, text: string): Uint8Array {
  return encodeServerMessage({ kind: "notice", scope, text });
}

/** Text sent to clients: 1 to {@linkcode MAX_NOTICE_BYTES} bytes, no control characters. */
function checkText(text: unknown, what: string): string {
  if (typeof text !== "string" || text === "") {
    throw new AdminActionError("invalid", `the ${what} must be non-empty text`);
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) {
    throw new AdminActionError(
      "invalid",
      `the ${what} must be one line without control characters`,
    );
  }
  const bytes = utf8.encode(text).length;
  if (bytes > MAX_NOTICE_BYTES) {
    throw new AdminActionError(
      "invalid",
      `the ${what} has ${bytes} bytes; at most ${MAX_NOTICE_BYTES}`,
    );
  }
  return text;
}
