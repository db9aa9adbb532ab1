/**
 * `serve`'s admin endpoint: the token (from `--admin-token-file` or
 * SWITCHBOARD_ADMIN_TOKEN), then the HTTP server beside the relay with the
 * database as its readiness check.
 *
 * @example
 * ```ts ignore
 * import { loadAdminToken, startAdminEndpoint } from "./serve_admin.ts";
 * const token = await loadAdminToken({ adminPort: 0 });
 * ```
 * @module
 */
import { exitWithError } from "./cli_error.ts";
import { commandLine } from "./invocation.ts";
import type { ClusterNode } from "../server/cluster/mod.ts";
import {
  AdminServer,
  AdminToken,
  AdminTokenError,
  type Logger,
  type ReadinessCheck,
  type RelayServer,
  type Store,
  storeReadiness,
} from "../server/mod.ts";

/** The admin flags of `serve`. */
export interface AdminFlags {
  readonly adminPort?: number;
  readonly adminHost?: string;
  readonly adminTokenFile?: string;
}

/**
 * The token when the admin endpoint is on (null when off). Prints what to
 * do and exits 2 when it cannot be had: an endpoint without a token must
 * not start.
 */
export async function loadAdminToken(
  flags: AdminFlags,
): Promise<AdminToken | null> {
  if (flags.adminPort === undefined) return null;
  try {
    return await AdminToken.load(flags.adminTokenFile);
  } catch (error) {
    if (!(error instanceof AdminTokenError)) throw error;
    exitWithError(
      error.message,
      `make one, e.g.: openssl rand -hex 32 > admin.token && chmod 600 admin.token\n  then: ${
        commandLine("serve --admin-port 7778 --admin-token-file admin.token")
      }`,
      2,
    );
  }
}

/** What the endpoint watches besides the relay server. */
export interface AdminParts {
  readonly store: Store;
  readonly logger: Logger;
  /** Stops the process gracefully (a drain's end). */
  readonly stop: () => void;
  /** The node's deployment, when `--cluster` is on. */
  readonly cluster: ClusterNode | null;
}

/**
 * Starts the admin endpoint for `server`, ready when the database (and, in a
 * deployment, Redis) is; exits 2 when it cannot listen.
 */
export async function startAdminEndpoint(
  flags: AdminFlags,
  token: AdminToken,
  server: RelayServer,
  parts: AdminParts,
): Promise<AdminServer> {
  const { cluster } = parts;
  const host = Deno.hostname();
  try {
    return await AdminServer.start({
      server,
      token,
      hostname: flags.adminHost,
      port: flags.adminPort,
      readiness: [
        storeReadiness(parts.store),
        ...(cluster === null ? [] : [clusterReadiness(cluster)]),
      ],
      logger: parts.logger,
      stop: parts.stop,
      // A node's id changes after a loss of Redis: asked each time.
      node: cluster === null ? host : () => `${host}/node-${cluster.id}`,
    });
  } catch (error) {
    exitWithError(
      `the admin endpoint cannot listen on ${flags.adminHost}:${flags.adminPort}: ${
        (error as Error).message
      }`,
      "pick another --admin-port, or 0 for a free one",
      2,
    );
  }
}

/** Redis: this node's link to it is up (its heartbeat notices a loss within the node TTL). */
function clusterReadiness(cluster: ClusterNode): ReadinessCheck {
  return {
    name: "redis",
    check: () =>
      cluster.up
        ? Promise.resolve()
        : Promise.reject(new Error(`no link to Redis at ${cluster.shown}`)),
  };
}
