/**
 * What a server uses in place of its own rooms, sessions and ids when it is
 * one of several servers sharing a deployment (server/cluster/). Without
 * one, the server keeps everything in its own memory.
 *
 * @example
 * ```ts
 * import type { Deployment } from "./deployment.ts";
 * const standalone: Deployment | undefined = undefined;
 * console.assert(standalone === undefined);
 * ```
 * @module
 */
import type { Limits } from "../protocol/mod.ts";
import type { DeclaredRoomsTarget } from "./rooms/declared_rooms.ts";
import type { Logger } from "./logger.ts";
import type { LocalRoomIndex, RoomRegistry } from "./rooms/rooms.ts";
import type { RemoteRecipients } from "./sessions/recipients.ts";
import type { SessionIdSource } from "./sessions/session_ids.ts";
import type { SessionRegistry } from "./sessions/sessions.ts";

/** The parts a deployment gives one server. */
export interface DeploymentParts {
  /** The deployment's rooms; `size` counts the rooms this server has members in. */
  readonly rooms: RoomRegistry & DeclaredRoomsTarget & LocalRoomIndex & {
    readonly size: number;
  };
  /** This server's sessions, kept in step with the deployment's presence. */
  readonly sessions: SessionRegistry;
  /** Ids unique across the deployment. */
  readonly ids: SessionIdSource;
  /** `3:4` and groups, to sessions on any server. */
  readonly remote: RemoteRecipients;
}

/** Several servers sharing rooms, presence and ids. */
export interface Deployment {
  /** Called once, by the server being built, with its limits and logger. */
  parts(options: { limits: Limits; logger: Logger }): DeploymentParts;
}
