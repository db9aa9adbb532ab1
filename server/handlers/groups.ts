/**
 * `5:group:ids` defines a client's own named group; `4:group:msg` sends to
 * it. Groups are recipient lists: members are reached wherever they are on
 * the server, and members who have gone are skipped without complaint.
 *
 * @example
 * ```ts
 * import { defineGroup, sendToGroup } from "./groups.ts";
 * console.assert(typeof defineGroup === "function" && typeof sendToGroup === "function");
 * ```
 * @module
 */
import { ErrorCode } from "../../protocol/mod.ts";
import type { ServerContext } from "../context.ts";
import { forEachRecipient } from "../sessions/recipients.ts";
import type { Session } from "../sessions/session.ts";
import { refuse } from "./refuse.ts";

/** Defines (replaces) a group; an empty member list deletes it. */
export function defineGroup(
  ctx: ServerContext,
  session: Session,
  msg: { readonly group: string; readonly members: readonly number[] },
): void {
  if (msg.members.length === 0) {
    session.setGroup(msg.group, []);
    return;
  }
  const max = ctx.limits.maxGroupsPerClient;
  if (session.group(msg.group) === undefined && session.groupCount >= max) {
    ctx.logger.debug("limit.groups", { session: session.id, max });
    refuse(
      session,
      "5",
      ErrorCode.TooManyGroups,
      `at most ${max} groups per client`,
    );
    return;
  }
  session.setGroup(msg.group, [...new Set(msg.members)]);
}

/** Sends to the members of one of the sender's groups. */
export function sendToGroup(
  ctx: ServerContext,
  session: Session,
  msg: { readonly group: string; readonly payload: Uint8Array },
): void | Promise<void> {
  const members = session.group(msg.group);
  if (members === undefined) {
    refuse(
      session,
      "4",
      ErrorCode.UnknownGroup,
      `no group ${msg.group}; define it with 5:`,
    );
    return;
  }
  const frame = ctx.frames.relay(session.prefix, msg.payload);
  if (ctx.remote) {
    // Gone members are skipped silently here too: the answer is not awaited.
    void ctx.remote.send(members, frame, false);
    return ctx.remote.pressure();
  }
  // A group's members are unique (5: keeps each once); gone ones are skipped.
  forEachRecipient(ctx, members, false, (peer) => peer.send(frame));
}
