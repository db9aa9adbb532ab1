/**
 * `switchboard serve`: runs the relay until SIGINT or SIGTERM.
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts serve --host 127.0.0.1 --port 0 --auth open
 * ```
 * @module
 */
import {
  Command,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import { DEFAULT_LIMITS } from "../protocol/mod.ts";
import {
  AccountsAuthenticator,
  createLogger,
  DEFAULT_MAX_QUEUED_CHECKS,
  defaultDatagramTransport,
  DenoDatagramTransport,
  DenoTcpTransport,
  type FlushPolicy,
  hasDenoDatagrams,
  installLastResort,
  LOG_FORMATS,
  LOG_LEVELS,
  type Logger,
  NodeDatagramTransport,
  NodeTcpTransport,
  OpenAuthenticator,
  openStore,
  PasswordHasher,
  RelayServer,
  Shutdown,
  type Store,
  StoreError,
} from "../server/mod.ts";
import {
  DEFAULT_DB,
  describeTarget,
  redactSecrets,
} from "../server/store/mod.ts";
import {
  ClusterNode,
  clusterTarget,
  type ClusterTargetOptions,
  ClusterUrlError,
  PASSWORD_ENV,
} from "../server/cluster/mod.ts";
import { UnavailableError } from "../server/sessions/mod.ts";
import {
  chooseDb,
  type DbChoice,
  DbChoiceError,
  dbOption,
  dbUrlFileOption,
  warnIfShared,
} from "./db_choice.ts";
import { adminHint } from "./admin_action.ts";
import { errorText, exitWithError } from "./cli_error.ts";
import { commandLine } from "./invocation.ts";
import { addLimitOptions, limitOverrides } from "./limit_options.ts";
import { loadAdminToken, startAdminEndpoint } from "./serve_admin.ts";
import {
  addWebOptions,
  reloadOnSighup,
  webListenerUrls,
  webServerOptions,
} from "./web_options.ts";

/** The port `serve` and `connect` use when none is given. */
export const DEFAULT_PORT = 7777;

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

function flushPolicy(value: string): FlushPolicy {
  if (value === "turn" || value === "immediate") return value;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0 || ms > 100) {
    throw new InvalidArgumentError(
      "expected turn, immediate, or milliseconds from 0 to 100",
    );
  }
  return ms;
}

/** The `serve` subcommand. */
export function serveCommand() {
  const command = addWebOptions(new Command("serve"))
    .description("run the relay server")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--port <port>",
      "TCP port; 0 picks a free one",
      integer(0, 65535),
      DEFAULT_PORT,
    )
    .addOption(dbOption())
    .addOption(dbUrlFileOption())
    .addOption(
      new Option(
        "--auth <mode>",
        "accounts: the database's accounts; open: any username and password",
      )
        .choices(["open", "accounts"] as const).default("accounts" as const),
    )
    .addOption(
      new Option("--log-level <level>", "least important log lines shown")
        .choices(LOG_LEVELS).default("info" as const),
    )
    .addOption(
      new Option("--log-format <format>", "log lines as logfmt or JSON")
        .choices(LOG_FORMATS).default("logfmt" as const),
    )
    .option(
      "--admin-port <port>",
      "admin HTTP endpoint (metrics, health, status, actions, dashboard); off unless given; 0 picks a free port",
      integer(0, 65535),
    )
    .option(
      "--admin-host <host>",
      "address of the admin endpoint",
      "127.0.0.1",
    )
    .option(
      "--admin-token-file <file>",
      "file holding the admin endpoint's bearer token (else SWITCHBOARD_ADMIN_TOKEN)",
    )
    .addOption(
      new Option("--no-metrics", "do not count traffic (for measurement)")
        .hideHelp(),
    )
    .option(
      "--max-line-bytes <n>",
      "longest accepted line",
      integer(16),
      DEFAULT_LIMITS.maxLineBytes,
    )
    .option(
      "--max-outbound-bytes <n>",
      "hard cap on the bytes queued for one client; past it the client is cut off",
      integer(1024),
      DEFAULT_LIMITS.maxOutboundBytes,
    )
    .option(
      "--flush <when>",
      "when queued lines are written: turn, immediate, or a number of milliseconds",
      flushPolicy,
      "turn" as FlushPolicy,
    )
    .option(
      "--idle-timeout <seconds>",
      "close connections that send no line for this long; 0: never",
      integer(0, 86_400),
      0,
    )
    .option(
      "--max-queued-password-checks <n>",
      "password checks that may wait for the hasher (half of them from one address); more are refused busy",
      integer(1, 1_000_000),
      DEFAULT_MAX_QUEUED_CHECKS,
    )
    .option(
      "--shutdown-timeout <seconds>",
      "time allowed to end sessions, flush and close on SIGTERM/SIGINT",
      integer(1, 3_600),
      10,
    )
    .addOption(
      new Option("--tcp-impl <impl>", "TCP implementation (for measurement)")
        .choices(["node", "deno"] as const).default("node" as const).hideHelp(),
    )
    .addOption(
      new Option(
        "--udp-port <port>",
        "UDP port (default: the TCP port's number); 0 picks a free one",
      ).argParser(integer(0, 65535)).conflicts("udp"),
    )
    .option("--no-udp", "turn the UDP channel off")
    .addOption(
      new Option(
        "--udp-legacy",
        "also accept the bare UDP handshake 0:<id> from the session's IP (old clients; lets same-IP neighbours take over channels)",
      ).conflicts("udp"),
    )
    .option(
      "--max-datagram-bytes <n>",
      "largest UDP datagram accepted",
      integer(64, 65507),
      DEFAULT_LIMITS.maxDatagramBytes,
    )
    .option(
      "--cluster <url>",
      "join a deployment of several servers sharing this Redis (redis://HOST:PORT or rediss://; see docs/cluster.md)",
    )
    .option(
      "--cluster-password-file <file>",
      `the Redis password, first line of this file (or set ${PASSWORD_ENV}; either keeps it off the command line)`,
    )
    .option(
      "--cluster-ca-file <file>",
      "PEM certificates to trust for rediss:// instead of the system's",
    )
    .addOption(
      new Option("--udp-impl <impl>", "UDP implementation (for measurement)")
        .choices(["auto", "node", "deno"] as const).default("auto" as const)
        .hideHelp(),
    )
    .action(async (options, command) => {
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
      const redact = (text: string) => redactSecrets(text, db.target);
      const logger = createLogger({
        level: options.logLevel,
        format: options.logFormat,
        write: (line) => console.error(redact(line)),
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
        transport: options.tcpImpl === "deno"
          ? new DenoTcpTransport()
          : new NodeTcpTransport(),
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
          transport: datagramTransport(options.udpImpl),
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
    });
  addLimitOptions(command);
  return command;
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

function datagramTransport(impl: "auto" | "node" | "deno") {
  if (impl === "node") return new NodeDatagramTransport();
  if (impl === "deno" && !hasDenoDatagrams()) {
    exitWithError(
      "--udp-impl deno needs --unstable-net",
      "run it with deno run --unstable-net (deno task serve does), or leave --udp-impl out",
      2,
    );
  }
  return impl === "deno"
    ? new DenoDatagramTransport()
    : defaultDatagramTransport();
}

/**
 * What `serve` prints when no one can log in yet: how to add an account,
 * and how to let anyone in while trying it out. The suggested commands name
 * the database as it was given (never with a password).
 */
export function noAccountsNotice(choice: DbChoice): string {
  const db = choice.target;
  if (db === ":memory:") {
    return [
      "switchboard: the in-memory database holds no accounts, so no one can log in with --auth accounts.",
      "  Use a database file (--db FILE) and add accounts to it, or let anyone in:",
      `    ${commandLine("serve --auth open --db :memory:")}`,
    ].join("\n");
  }
  const shown = describeTarget(db);
  const dbFlag = choice.origin === "file"
    ? ` --db-url-file ${shellQuote(choice.file!)}`
    : choice.origin === "flag" && db !== DEFAULT_DB
    ? ` --db ${shellQuote(shown)}`
    : "";
  return [
    `switchboard: ${shown} holds no accounts yet, so no one can log in with --auth accounts.`,
    "  Add one (it asks for the password; or pipe it in with --password-stdin):",
    `    ${commandLine(`users add NAME${dbFlag}`)}`,
    "  Or, just to try it out, let anyone in with any name and password:",
    `    ${commandLine(`serve --auth open${dbFlag}`)}`,
  ].join("\n");
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text)
    ? text
    : `'${text.replaceAll("'", "'\\''")}'`;
}
