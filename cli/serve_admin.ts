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
import {
  AdminServer,
  AdminToken,
  AdminTokenError,
  type Logger,
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
    console.error(`switchboard: ${error.message}`);
    console.error(
      "  Make one, e.g.: openssl rand -hex 32 > admin.token && chmod 600 admin.token",
    );
    console.error(
      "  then: switchboard serve --admin-port 7778 --admin-token-file admin.token",
    );
    Deno.exit(2);
  }
}

/** Starts the admin endpoint for `server`; exits 2 when it cannot listen. */
export async function startAdminEndpoint(
  flags: AdminFlags,
  token: AdminToken,
  server: RelayServer,
  store: Store,
  logger: Logger,
  stop: () => void,
): Promise<AdminServer> {
  try {
    return await AdminServer.start({
      server,
      token,
      hostname: flags.adminHost,
      port: flags.adminPort,
      readiness: [storeReadiness(store)],
      logger,
      stop,
    });
  } catch (error) {
    console.error(
      `switchboard: the admin endpoint cannot listen on ${flags.adminHost}:${flags.adminPort}: ${
        (error as Error).message
      }`,
    );
    console.error("  Pick another --admin-port, or 0 for a free one.");
    Deno.exit(2);
  }
}
