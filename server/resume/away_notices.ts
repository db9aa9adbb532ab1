/**
 * A joiner learns which members are away: after its join sequence, one
 * `6:<id>:away` per member whose session is held, so that it knows as much
 * as the members who were there when they went away.
 *
 * @example
 * ```ts
 * import { tellAway } from "./away_notices.ts";
 * import { Room } from "../rooms/rooms.ts";
 * tellAway({ id: 1, send() {} }, new Room("lobby", ""));
 * ```
 * @module
 */
import { encodeServerMessage } from "../../protocol/mod.ts";
import type { Room } from "../rooms/rooms.ts";
import type { Peer } from "../sessions/peer.ts";
import { Session } from "../sessions/session.ts";

/** Sends `joiner` an away notice for each member of `room` that is away. */
export function tellAway(joiner: Peer, room: Room): void {
  for (const member of room.members) {
    if (member instanceof Session && member.resume?.away === true) {
      joiner.send(encodeServerMessage({ kind: "away", id: member.id }));
    }
  }
}
