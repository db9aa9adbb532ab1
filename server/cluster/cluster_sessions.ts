/**
 * This node's sessions, kept in step with the deployment's presence: a
 * login claims its username in Redis (a session of the same user on another
 * node is told to end there: `9:0:superseded:…`, `0:-1`), an ended session
 * gives it up. Both go out in order with everything else this node sends.
 *
 * @example
 * ```ts
 * import { ClusterSessions } from "./cluster_sessions.ts";
 * console.assert(typeof ClusterSessions === "function");
 * ```
 * @module
 */
import { ErrorCode } from "../../protocol/mod.ts";
import type { RoomRegistry } from "../rooms/rooms.ts";
import type { Session } from "../sessions/session.ts";
import { SessionRegistry } from "../sessions/sessions.ts";
import type { ClusterNode } from "./cluster_node.ts";
import { SCRIPTS } from "./scripts.ts";
import { ClusterRoom } from "./cluster_room.ts";

/** Sessions of one node of a deployment. */
export class ClusterSessions extends SessionRegistry {
  readonly #node: ClusterNode;

  /** Sessions living in `rooms`, registered with `node`'s deployment. */
  constructor(rooms: RoomRegistry, node: ClusterNode) {
    super(rooms);
    this.#node = node;
  }

  override add(session: Session): void {
    super.add(session);
    this.#node.bus.fire(SCRIPTS.claim, this.#args(session));
  }

  override end(session: Session): void {
    if (!session.active) return;
    if (session.room instanceof ClusterRoom) session.room.depart(session);
    super.end(session);
    if (this.#node.up) {
      this.#node.bus.fire(SCRIPTS.release, this.#args(session));
    }
  }

  /** The user of session `id` logged in on another node. */
  supersededElsewhere(id: number): void {
    const session = this.get(id);
    if (session === undefined) return;
    this.#node.logger.info("session.superseded", {
      session: id,
      user: session.username,
      elsewhere: true,
    });
    this.supersede(session);
  }

  /** Ends every session: the deployment's store was lost. */
  endAll(text: string): void {
    for (const session of [...this.values()]) {
      this.endWithReason(session, ErrorCode.Unavailable, text, "cluster lost");
    }
  }

  #args(session: Session): string[] {
    return [
      this.#node.keys.prefix,
      session.username,
      `${session.id}`,
      `${this.#node.id}`,
    ];
  }
}
