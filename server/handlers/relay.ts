/**
 * `3:0`–`3:3` to the room and `3:4` to listed users: the hot path.
 *
 * Each message is built once, in the server's scratch frame
 * `3:<id>:<payload>\n`, and copied into each receiver's queue. The payload is
 * never decoded.
 *
 * @example
 * ```ts
 * import { sendToRoom, sendToUsers } from "./relay.ts";
 * console.assert(typeof sendToRoom === "function" && typeof sendToUsers === "function");
 * ```
 * @module
 */
import { ErrorCode, type RoomSendMode, SendMode } from "../../protocol/mod.ts";
import type { ServerContext } from "../context.ts";
import { forEachRecipient } from "../sessions/recipients.ts";
import type { Session } from "../sessions/session.ts";
import { refuse } from "./refuse.ts";

/**
 * Sends to the sender's room. In one process every room's fan-out happens
 * synchronously in one place, so the ordered modes (`3:2`, `3:3`) already
 * get one total order per room; they differ from `3:0`/`3:1` once rooms
 * span servers and ordered messages go through a sequencer.
 */
export function sendToRoom(
  ctx: ServerContext,
  session: Session,
  msg: { readonly mode: RoomSendMode; readonly payload: Uint8Array },
): void | Promise<void> {
  const room = session.room;
  if (room === null) {
    refuse(
      session,
      "3",
      ErrorCode.NotInRoom,
      "join a room first, or send with 3:4",
    );
    return;
  }
  const toOthers = msg.mode === SendMode.Others ||
    msg.mode === SendMode.OthersOrdered;
  return room.fanOut(
    ctx.frames.relay(session.prefix, msg.payload),
    toOthers ? session : null,
  );
}

/**
 * Sends to listed users anywhere on the server (or the deployment); names
 * the ids that are not. In a deployment of several servers the answer
 * needs the shared directory: the connection's next line waits for it.
 */
export function sendToUsers(
  ctx: ServerContext,
  session: Session,
  msg: { readonly to: readonly number[]; readonly payload: Uint8Array },
): void | Promise<void> {
  const frame = ctx.frames.relay(session.prefix, msg.payload);
  if (ctx.remote) {
    return ctx.remote.send(unique(msg.to), frame, false).then((missing) =>
      reportMissing(session, missing)
    );
  }
  const missing = forEachRecipient(
    ctx,
    msg.to,
    true,
    (peer) => peer.send(frame),
  );
  reportMissing(session, missing);
}

function reportMissing(session: Session, missing: number[] | null): void {
  if (missing !== null && missing.length > 0) {
    refuse(
      session,
      "3",
      ErrorCode.UnknownRecipients,
      `no session ${missing.join(",")}`,
    );
  }
}

/** `ids` without repeats, in order (a `3:4` may list an id twice). */
export function unique(ids: readonly number[]): readonly number[] {
  return new Set(ids).size === ids.length ? ids : [...new Set(ids)];
}
