/**
 * What a {@linkcode Connection} needs of the server it belongs to: the
 * context its handlers use, the flush scheduler and flow control shared by
 * every connection, the idle timeout, and a call when it is gone.
 *
 * @example
 * ```ts
 * import type { ConnectionOwner } from "./connection_owner.ts";
 * const idleOf = (owner: ConnectionOwner) => owner.idleTimeoutMs;
 * ```
 * @module
 */
import type { ServerContext } from "../context.ts";
import type { Connection } from "./connection.ts";
import type { Flow } from "./flow.ts";
import type { FlushScheduler } from "./flush_scheduler.ts";

/** A connection's place in its server. */
export interface ConnectionOwner {
  readonly ctx: ServerContext;
  readonly scheduler: FlushScheduler;
  readonly flow: Flow;
  /** Close connections that send no line for this long (ms); 0 never does. */
  readonly idleTimeoutMs: number;
  /** Called once, after the socket has closed and the session has ended. */
  gone(connection: Connection): void;
}
