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
