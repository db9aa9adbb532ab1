/**
 * What the dispatcher and the login handler see of one connection.
 *
 * @example
 * ```ts
 * import type { Client } from "./client.ts";
 * const describe = (client: Client) => `${client.remote} ${client.session?.id ?? "-"}`;
 * ```
 * @module
 */
import type { Session, SessionLink } from "./session.ts";

/** A connected client, logged in or not. */
export interface Client extends SessionLink {
  /** `address:port` of the peer. */
  readonly remote: string;
  /** The peer's IP address. */
  readonly remoteAddress: string;
  /** True once the connection is closed or closing. */
  readonly closed: boolean;
  /** The session logged in on this connection, if any. */
  session: Session | null;
}
