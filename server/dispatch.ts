/**
 * Message kind -> handler, behind the login gate.
 *
 * @example
 * ```ts
 * import { dispatch } from "./dispatch.ts";
 * console.assert(typeof dispatch === "function");
 * ```
 * @module
 */
import { type ClientMessage, encodeServerMessage } from "../protocol/mod.ts";
import type { Client } from "./sessions/client.ts";
import type { ServerContext } from "./context.ts";
import { defineGroup, sendToGroup } from "./handlers/groups.ts";
import { login } from "./handlers/login.ts";
import { sendToRoom, sendToUsers } from "./handlers/relay.ts";
import { joinRoom, leaveRoom, listRooms } from "./handlers/rooms.ts";
import type { Session } from "./sessions/session.ts";

const LOGGED_OUT = encodeServerMessage({ kind: "logged-out" });

type SessionKind = Exclude<ClientMessage["kind"], "login">;
type Handler<K extends SessionKind> = (
  ctx: ServerContext,
  session: Session,
  msg: Extract<ClientMessage, { kind: K }>,
) => void | Promise<void>;

const handlers: { readonly [K in SessionKind]: Handler<K> } = {
  "list-rooms": listRooms,
  join: joinRoom,
  leave: leaveRoom,
  send: sendToRoom,
  "send-users": sendToUsers,
  "send-group": sendToGroup,
  "define-group": defineGroup,
};

/**
 * Runs the handler for `msg`. Returns a promise only for work that must
 * finish before the connection's next line (login; listing and joining
 * rooms that need the store or a slow password check).
 */
export function dispatch(
  ctx: ServerContext,
  client: Client,
  msg: ClientMessage,
): void | Promise<void> {
  if (msg.kind === "login") return login(ctx, client, msg);
  const session = client.session;
  if (session === null) {
    client.send(LOGGED_OUT);
    return;
  }
  return (handlers[msg.kind] as Handler<SessionKind>)(
    ctx,
    session,
    msg as never,
  );
}
