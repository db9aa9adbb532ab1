/**
 * How a relay server closes: stop the timers and the store's polling, stop
 * accepting, end every session (rooms are told, held ones too), flush what
 * is queued, and resolve once every connection and listener is closed.
 *
 * @example
 * ```ts
 * import { RelayServer } from "./relay_server.ts";
 * const server = await RelayServer.start({ port: 0 });
 * await server.close(); // closeServer, once
 * console.assert(server.connectionCount === 0);
 * ```
 * @module
 */
import type { Acceptor } from "./acceptor.ts";
import type { RevocationWatcher } from "./accounts/revocation_watcher.ts";
import type { Flow } from "./connection/flow.ts";
import type { Sweeper } from "./connection/sweeper.ts";
import type { ServerContext } from "./context.ts";
import type { ResumeService } from "./resume/resume_service.ts";
import type { ServerListeners } from "./server_listeners.ts";
import type { Session } from "./sessions/session.ts";

/** What {@linkcode closeServer} stops. */
export interface ClosingParts {
  readonly ctx: ServerContext;
  readonly sweeper: Sweeper | null;
  readonly revocations: RevocationWatcher | null;
  /** Aborted first: throttled waits end at once. */
  readonly stopping: AbortController;
  readonly flow: Flow;
  readonly listeners: ServerListeners;
  readonly resume: ResumeService;
  readonly acceptor: Acceptor;
}

/** Closes everything in `parts`; resolves once all of it is closed. */
export async function closeServer(parts: ClosingParts): Promise<void> {
  const { ctx, acceptor } = parts;
  parts.sweeper?.stop();
  parts.revocations?.close();
  parts.stopping.abort();
  parts.flow.wakeups.stop();
  const listening = parts.listeners.stopAccepting();
  const datagrams = parts.listeners.closeUdp(ctx.logger);
  parts.resume.endAll("server shutting down");
  if (acceptor.connections.size > 0) {
    const allGone = acceptor.allGone();
    for (const connection of acceptor.connections) {
      // Logged-in clients are told why before their 0:-1.
      const session: Session | null = connection.session;
      if (session === null) connection.close("server shutting down");
      else {
        ctx.sessions.endWithReason(
          session,
          "shutting-down",
          "the server is shutting down",
          "server shutting down",
        );
      }
    }
    await allGone;
  }
  await listening;
  await datagrams;
}
