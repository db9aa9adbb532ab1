/**
 * Listed recipients (`3:4` ids, a group's members): each id that has a
 * session is visited once, in order; the ids that have none are returned.
 * Shared by the TCP and UDP relays.
 *
 * @example
 * ```ts
 * import { forEachRecipient } from "./recipients.ts";
 * console.assert(typeof forEachRecipient === "function");
 * ```
 * @module
 */
import type { ServerContext } from "../context.ts";
import type { Session } from "./session.ts";

/**
 * Listed recipients on every server of a deployment (`3:4`, groups), for
 * servers that share one. The ids are visited where their sessions are;
 * per-sender order holds because everything a server sends for its
 * clients takes one ordered path.
 */
export interface RemoteRecipients {
  /**
   * Sends `frame` (copied at once) to each of `ids` wherever its session
   * is, over UDP channels for `lossy` messages where receivers have one.
   * Resolves with the ids that have no session, or null; never rejects.
   */
  send(
    ids: readonly number[],
    frame: Uint8Array,
    lossy: boolean,
  ): Promise<number[] | null>;
  /**
   * A promise while this server has too much waiting to go to the others
   * (the sender should stop reading until it settles), else undefined.
   */
  pressure(): Promise<void> | undefined;
}

/** Up to this many ids, duplicates are found by scanning (no allocation). */
const SCAN_LIMIT = 16;

/**
 * Calls `visit` for each id in `ids` that has a session. With `mayRepeat`,
 * an id listed twice is visited once (a group's members are unique already).
 * Returns the ids without a session, or null when every id had one.
 */
export function forEachRecipient(
  ctx: ServerContext,
  ids: readonly number[],
  mayRepeat: boolean,
  visit: (peer: Session) => void,
): number[] | null {
  let missing: number[] | null = null;
  const seen = mayRepeat && ids.length > SCAN_LIMIT ? new Set<number>() : null;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (seen !== null) {
      if (seen.has(id)) continue;
      seen.add(id);
    } else if (mayRepeat && ids.indexOf(id) < i) continue;
    const peer = ctx.sessions.get(id);
    if (peer === undefined) (missing ??= []).push(id);
    else visit(peer);
  }
  return missing;
}
