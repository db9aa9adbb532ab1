/**
 * What each command does, given a typed message and the server's parts:
 * login, rooms, relay and groups. No I/O of their own; no raw text.
 *
 * @example
 * ```ts
 * import { login, sendToRoom } from "./mod.ts";
 * console.assert(typeof login === "function" && typeof sendToRoom === "function");
 * ```
 * @module
 */
export { defineGroup, sendToGroup } from "./groups.ts";
export { login } from "./login.ts";
export { sendToRoom, sendToUsers } from "./relay.ts";
export { joinRoom, leaveRoom, listRooms } from "./rooms.ts";
export { errorFrame, refuse } from "./refuse.ts";
