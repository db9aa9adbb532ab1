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
import { encodeServerMessage, ErrorCode } from "../../protocol/mod.ts";
import type { ServerContext } from "../context.ts";
import { isRefusal } from "../rooms.ts";
import type { Session } from "../session.ts";
import { refuse } from "./refuse.ts";

/** Replies with the rooms `password` may see. */
export function listRooms(
  ctx: ServerContext,
  session: Session,
  msg: { readonly password: string },
): void {
  session.send(
    encodeServerMessage({
      kind: "room-list",
      rooms: ctx.rooms.list(msg.password),
    }),
  );
}

/**
 * Joins a room, leaving the current one first. A join that would be refused
 * is refused before leaving, so a wrong password keeps the client where it is.
 */
export function joinRoom(
  ctx: ServerContext,
  session: Session,
  msg: { readonly room: string; readonly password: string },
): void {
  const current = session.room;
  if (current !== null && current.name === msg.room) {
    refuse(
      session,
      "2",
      ErrorCode.AlreadyInRoom,
      `already in room ${msg.room}`,
    );
    return;
  }
  const refusal = ctx.rooms.check(msg.room, msg.password);
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
  if (current !== null) {
    session.room = null;
    ctx.rooms.leave(session, current);
  }
  const result = ctx.rooms.join(session, msg.room, msg.password);
  if (isRefusal(result)) refuse(session, "2", result.code, result.text);
  else session.room = result;
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
