/**
 * What handlers may use: the server's parts, passed in, never global.
 *
 * @example
 * ```ts
 * import type { ServerContext } from "./context.ts";
 * const roomsOf = (ctx: ServerContext) => ctx.rooms.list("");
 * ```
 * @module
 */
import type { FrameBuilder, Limits } from "../protocol/mod.ts";
import type { Authenticator } from "./accounts/auth.ts";
import type { RoomPasswordThrottle } from "./accounts/room_password_throttle.ts";
import type { DeclaredRooms } from "./rooms/declared_rooms.ts";
import type { Logger } from "./logger.ts";
import type { ServerMetrics } from "./metrics/mod.ts";
import type { RoomRegistry } from "./rooms/rooms.ts";
import type { ResumeService } from "./resume/resume_service.ts";
import type { SessionIdSource } from "./sessions/session_ids.ts";
import type { SessionRegistry } from "./sessions/sessions.ts";
import type { RemoteRecipients } from "./sessions/recipients.ts";

/** The server's parts that handlers work with. */
export interface ServerContext {
  readonly limits: Limits;
  readonly auth: Authenticator;
  readonly ids: SessionIdSource;
  readonly rooms: RoomRegistry;
  readonly sessions: SessionRegistry;
  readonly logger: Logger;
  /** Scratch space for relayed frames (valid until the next message). */
  readonly frames: FrameBuilder;
  /** Whether sessions get a UDP secret at login (the UDP channel is on). */
  readonly udp?: boolean;
  /** Keeps declared rooms in step with the store; null without a store. */
  readonly declaredRooms?: DeclaredRooms | null;
  /** Resumable sessions (`7:` lines); without it `7` is an unknown command. */
  readonly resume?: ResumeService;
  /** Slows down guessing room passwords; none (no slow-down) if absent. */
  readonly roomGuesses?: RoomPasswordThrottle;
  /** Aborted when the server closes: throttled waits end at once. */
  readonly signal?: AbortSignal;
  /** The server's counters, read by the admin endpoint. */
  readonly metrics: ServerMetrics;
  /**
   * Where `3:4` and groups go when servers share a deployment (the ids may
   * be anywhere); null or absent for a server on its own.
   */
  readonly remote?: RemoteRecipients | null;
}
