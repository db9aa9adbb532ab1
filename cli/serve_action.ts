/**
 * What `switchboard serve` does with its flags: opens the database, joins the
 * cluster if asked, starts the relay, the admin endpoint and the shutdown
 * handling, and prints where it listens.
 *
 * @example
 * ```ts ignore
 * import { serveOptions } from "./serve_options.ts";
 * import { runServe } from "./serve_action.ts";
 * serveOptions().action(runServe);
 * ```
 * @module
 */
import {
  AccountsAuthenticator,
  createLogger,
  installLastResort,
  type Logger,
  OpenAuthenticator,
  openStore,
  PasswordHasher,
  RelayServer,
  Shutdown,
  stderrLines,
  type Store,
  StoreError,
} from "../server/mod.ts";
import { secretRedactor } from "../server/store/mod.ts";
import {
  ClusterNode,
  clusterTarget,
  type ClusterTargetOptions,
  ClusterUrlError,
} from "../server/cluster/mod.ts";
import { UnavailableError } from "../server/sessions/mod.ts";
import {
  chooseDb,
  type DbChoice,
  DbChoiceError,
  warnIfShared,
} from "./db_choice.ts";
import { adminHint } from "./admin_action.ts";
import { errorText, exitWithError } from "./cli_error.ts";
import { commandLine } from "./invocation.ts";
import { limitOverrides } from "./limit_options.ts";
import { noAccountsNotice } from "./no_accounts_notice.ts";
import { loadAdminToken, startAdminEndpoint } from "./serve_admin.ts";
import { relayHeapFields } from "./relay_worker.ts";
import { datagramTransport, tcpTransport } from "./serve_transports.ts";
import type { ServeCommand, ServeOptions } from "./serve_options.ts";
import {
  reloadOnSighup,
  webListenerUrls,
  webServerOptions,
} from "./web_options.ts";

/** Runs the relay with `serve`'s flags until SIGINT or SIGTERM. */
export async function runServe(
  options: ServeOptions,
  command: ServeCommand,
): Promise<void> {
  let db: DbChoice;
  try {
    db = await chooseDb(command);
  } catch (error) {
    if (!(error instanceof DbChoiceError)) throw error;
    console.error(`switchboard: ${error.message}`);
    Deno.exit(1);
  }
  // Whatever a log line quotes (a driver's error, say), the database
  // URL's password never reaches the log.
  const redact = secretRedactor(db.target);
  const toStderr = stderrLines();
  const logger = createLogger({
    level: options.logLevel,
    format: options.logFormat,
    write: (line) => toStderr(redact(line)),
  });
  installLastResort(logger);
  if (db.warning !== null) {
    logger.warn("db.permissions", { advice: db.warning });
  }
  await warnIfShared(db.target, logger);
  const adminToken = await loadAdminToken(options);
  let store: Store;
  try {
    store = await openStore(db.target, {
      onBackgroundError: (error) =>
        logger.error("db.error", { error: error.message }),
      // The server writes only login times; the admin commands, which
      // write accounts, keep the default fsync on every commit.
      sqliteSynchronous: "normal",
    });
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    console.error(
      errorText(
        redact(error.message),
        redact(adminHint(error, db.target)),
      ),
    );
    Deno.exit(1);
  }
  const web = await webServerOptions(options).catch((error: Error) =>
    exitWithError(
      redact(error.message),
      `check the web and TLS flags ('${
        commandLine("serve --help")
      }' lists them) and the certificate files`,
      2,
    )
  );
  const hasher = new PasswordHasher({
    maxQueued: options.maxQueuedPasswordChecks,
  });
  if (options.auth === "accounts" && await store.countAccounts() === 0) {
    console.log(noAccountsNotice(db));
  }
  const cluster = options.cluster === undefined
    ? null
    : await joinCluster(options.cluster, {
      passwordFile: options.clusterPasswordFile,
      caFile: options.clusterCaFile,
    }, logger);
  const server = await RelayServer.start({
    hostname: options.host,
    port: options.port,
    logger,
    flush: options.flush,
    store,
    hasher,
    auth: options.auth === "open"
      ? new OpenAuthenticator()
      : new AccountsAuthenticator({ store, hasher, logger }),
    transport: tcpTransport(options.tcpImpl, options.host, options.reusePort),
    limits: {
      maxLineBytes: options.maxLineBytes,
      maxOutboundBytes: options.maxOutboundBytes,
      maxDatagramBytes: options.maxDatagramBytes,
      ...limitOverrides(options),
    },
    idleTimeoutMs: options.idleTimeout * 1000,
    metrics: options.metrics,
    deployment: cluster ?? undefined,
    udp: options.udp && {
      port: options.udpPort,
      legacy: options.udpLegacy ?? false,
      packing: options.udpPacking,
      transport: datagramTransport(
        options.udpImpl,
        options.host,
        options.udpReceiveBuffer,
      ),
    },
    ...web,
  }).catch((error: Error) =>
    exitWithError(
      redact(error.message),
      "check --host and --port (and --udp-port, the web ports): is another server on them? --port 0 picks a free one",
      2,
    )
  );
  const shutdown = new Shutdown({
    server,
    // Closed in order after the server has ended every session and
    // flushed.
    closers: [
      ...(cluster === null
        ? []
        : [{ name: "cluster", close: () => cluster.close() }]),
      { name: "database", close: () => store.close() },
    ],
    logger,
    timeoutMs: options.shutdownTimeout * 1000,
    exit: (code) => Deno.exit(code),
  });
  shutdown.listen();
  if (web.tls !== undefined) {
    reloadOnSighup(server, web.tls.certificate, logger);
  }
  const admin = adminToken === null ? null : await startAdminEndpoint(
    options,
    adminToken,
    server,
    {
      store,
      logger,
      stop: () => void shutdown.signal("drain"),
      cluster,
    },
  );
  // The admin endpoint answers (/healthz says "stopping") until the
  // relay has closed; then it goes, before the database.
  if (admin !== null) {
    shutdown.closers.unshift({ name: "admin", close: () => admin.close() });
  }
  const heap = relayHeapFields();
  if (heap !== null) logger.info("server.heap", heap);
  const udp = options.udp ? ` udp://${options.host}:${server.udpPort}` : "";
  const node = cluster === null
    ? ""
    : `, node ${cluster.id} of ${cluster.shown}`;
  const adminUrl = admin === null ? "" : ` admin ${admin.url}`;
  console.log(
    `switchboard listening on tcp://${options.host}:${server.port}${udp}${
      webListenerUrls(server, options.host)
    }${adminUrl} (auth: ${options.auth}, db: ${store.location}${node})`,
  );
}

/** Connects to the deployment's Redis, or exits with a clear message. */
async function joinCluster(
  url: string,
  options: ClusterTargetOptions,
  logger: Logger,
): Promise<ClusterNode> {
  try {
    const target = await clusterTarget(url, options);
    return await ClusterNode.connect({ target, logger });
  } catch (error) {
    if (
      !(error instanceof ClusterUrlError) &&
      !(error instanceof UnavailableError) &&
      !(error instanceof Deno.errors.NotFound)
    ) throw error;
    return exitWithError(
      error.message,
      error instanceof ClusterUrlError
        ? "--cluster takes redis://HOST:PORT or rediss://HOST:PORT (docs/cluster.md)"
        : "is Redis running at that address, and are the password and certificate files right? (docs/cluster.md)",
      2,
    );
  }
}
