/**
 * Sessions: a logged-in client, the registry of them by id and name, where
 * their ids come from, and the peer interface rooms and recipients see.
 *
 * @example
 * ```ts
 * import { Session } from "./mod.ts";
 * const ada = new Session(1, "ada", { send() {}, close() {} });
 * console.assert(ada.id === 1);
 * ```
 * @module
 */
export type { Client } from "./client.ts";
export type { Peer } from "./peer.ts";
export { forEachRecipient, type RemoteRecipients } from "./recipients.ts";
export { Session, type SessionLink } from "./session.ts";
export {
  CounterSessionIds,
  type SessionIdSource,
  UnavailableError,
} from "./session_ids.ts";
export { SessionRegistry } from "./sessions.ts";
