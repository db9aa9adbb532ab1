/**
 * `1:` list rooms, `2:room[:password]` join (or switch), `2:-1` leave.
 *
 * @example
 * ```ts
 * import { joinRoom, leaveRoom, listRooms } from "./rooms.ts";
 * console.assert([joinRoom, leaveRoom, listRooms].every((f) => typeof f === "function"));
 * ```
 * @module
 */
import {
  encodeServerMessage,
  ErrorCode,
  type RoomCount,
} from "../../protocol/mod.ts";
import type { ServerContext } from "../context.ts";
import { isRefusal, type JoinRefusal, type Room } from "../rooms/rooms.ts";
import { tellAway } from "../resume/away_notices.ts";
import type { Session } from "../sessions/session.ts";
import { refuse } from "./refuse.ts";
import { throttledGuess } from "./room_guess.ts";

/**
 * Replies with the rooms `password` may see. Returns a promise when the
 * declared rooms must be re-read or a password checked against a slow hash
 * first, or when the listing is a throttled guess (a password was given);
 * the connection holds its later lines until then.
 */
export function listRooms(
  ctx: ServerContext,
  session: Session,
  msg: { readonly password: string },
): void | Promise<void> {
  const reply = (rooms: readonly RoomCount[]) =>
    session.send(encodeServerMessage({ kind: "room-list", rooms }));
  const list = () => {
    if (msg.password !== "" && ctx.roomGuesses !== undefined) {
      return guessedList(ctx, session, msg.password).then((rooms) => {
        if (rooms !== null && session.active) reply(rooms);
      });
    }
    const rooms = ctx.rooms.list(msg.password);
    return Array.isArray(rooms) ? reply(rooms) : rooms.then(reply);
  };
  const stale = ctx.declaredRooms?.fresh() ?? null;
  return stale === null ? list() : stale.then(list);
}

/**
 * `1:password` as a guess: a failure when the password opens no private
 * room (it reveals nothing `1:` does not).
 */
function guessedList(
  ctx: ServerContext,
  session: Session,
  password: string,
): Promise<readonly RoomCount[] | null> {
  const lane = session.link.remoteAddress;
  return throttledGuess(ctx, session, {
    command: "1",
    admit: (now) => ctx.roomGuesses!.beginListing(session.id, lane ?? "", now),
    check: async () => {
      const rooms = await ctx.rooms.list(password, lane);
      const visible = new Set((await ctx.rooms.list("")).map((r) => r.name));
      return { rooms, revealed: rooms.some((r) => !visible.has(r.name)) };
    },
    outcome: ({ revealed }) => revealed ? "success" : "failure",
  }).then((result) => result?.rooms ?? null);
}

/**
 * Joins a room, leaving the current one first. A join that would be refused
 * is refused before leaving, so a wrong password keeps the client where it
 * is. Returns a promise when it must wait for the declared rooms or for a
 * slow password check.
 */
export function joinRoom(
  ctx: ServerContext,
  session: Session,
  msg: { readonly room: string; readonly password: string },
): void | Promise<void> {
  if (inRoomAlready(session, msg.room)) return;
  const stale = ctx.declaredRooms?.fresh() ?? null;
  if (stale !== null) {
    return stale.then(() => {
      if (session.active && !inRoomAlready(session, msg.room)) {
        return checkThenJoin(ctx, session, msg);
      }
    });
  }
  return checkThenJoin(ctx, session, msg);
}

function inRoomAlready(session: Session, room: string): boolean {
  if (session.room?.name !== room) return false;
  refuse(session, "2", ErrorCode.AlreadyInRoom, `already in room ${room}`);
  return true;
}

function checkThenJoin(
  ctx: ServerContext,
  session: Session,
  msg: { readonly room: string; readonly password: string },
): void | Promise<void> {
  const lane = session.link.remoteAddress;
  const guessing = msg.password !== "" && ctx.roomGuesses !== undefined &&
    (ctx.rooms.needsPassword?.(msg.room) ?? true);
  if (guessing) {
    // A password that will be checked is a guess: throttled, and counted.
    return throttledGuess(ctx, session, {
      command: "2",
      room: msg.room,
      admit: (now) =>
        ctx.roomGuesses!.beginJoin(session.id, lane ?? "", msg.room, now),
      check: async () => ({
        refusal: await ctx.rooms.check(msg.room, msg.password, lane),
      }),
      outcome: ({ refusal }) =>
        refusal === null
          ? "success"
          : refusal.code === ErrorCode.WrongPassword
          ? "failure"
          : "none",
    }).then((checked) => {
      // null: refused unchecked, or the session ended while it waited.
      if (checked !== null && session.active) {
        settleJoin(ctx, session, msg, checked.refusal);
      }
    });
  }
  const refusal = ctx.rooms.check(msg.room, msg.password, lane);
  if (refusal instanceof Promise) {
    return refusal.then((slow) => {
      // The session may have ended while the password was being checked.
      if (session.active) return settleJoin(ctx, session, msg, slow);
    });
  }
  return settleJoin(ctx, session, msg, refusal);
}

function settleJoin(
  ctx: ServerContext,
  session: Session,
  msg: { readonly room: string; readonly password: string },
  refusal: JoinRefusal | null,
): void | Promise<void> {
  if (refusal !== null) {
    if (refusal.code === ErrorCode.TooManyRooms) {
      ctx.logger.warn("limit.rooms", {
        session: session.id,
        max: ctx.limits.maxRooms,
      });
    }
    refuse(session, "2", refusal.code, refusal.text);
    return;
  }
  const current = session.room;
  if (current !== null) {
    session.room = null;
    ctx.rooms.leave(session, current);
  }
  const result = ctx.rooms.join(session, msg.room, msg.password);
  if (result instanceof Promise) {
    return result.then((joined) => settleJoined(ctx, session, joined));
  }
  settleJoined(ctx, session, result);
}

function settleJoined(
  ctx: ServerContext,
  session: Session,
  result: Room | JoinRefusal,
): void {
  if (isRefusal(result)) refuse(session, "2", result.code, result.text);
  // The session ended while a deployment's rooms were deciding the join.
  else if (!session.active) ctx.rooms.leave(session, result);
  else {
    session.room = result;
    tellAway(session, result);
    session.joinedAt = Date.now();
  }
}

/** Leaves the current room. */
export function leaveRoom(ctx: ServerContext, session: Session): void {
  const room = session.room;
  if (room === null) {
    refuse(session, "2", ErrorCode.NotInRoom, "not in a room");
    return;
  }
  session.room = null;
  ctx.rooms.leave(session, room);
}
