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
  DenoTcpTransport,
  LOG_LEVELS,
  NodeTcpTransport,
  OpenAuthenticator,
  openStore,
  PasswordHasher,
  RelayServer,
  type Store,
  StoreError,
} from "../server/mod.ts";
import { DEFAULT_DB, describeTarget } from "../server/store/mod.ts";
import { dbOption } from "./admin_action.ts";

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

/** The `serve` subcommand. */
export function serveCommand() {
  return new Command("serve")
    .description("run the relay server")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--port <port>",
      "TCP port; 0 picks a free one",
      integer(0, 65535),
      DEFAULT_PORT,
    )
    .addOption(dbOption())
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
    .option(
      "--max-line-bytes <n>",
      "longest accepted line",
      integer(16),
      DEFAULT_LIMITS.maxLineBytes,
    )
    .option(
      "--max-outbound-bytes <n>",
      "bytes queued for a client before it is cut off",
      integer(1024),
      DEFAULT_LIMITS.maxOutboundBytes,
    )
    .addOption(
      new Option("--tcp-impl <impl>", "TCP implementation (for measurement)")
        .choices(["node", "deno"] as const).default("node" as const).hideHelp(),
    )
    .action(async (options) => {
      const logger = createLogger({ level: options.logLevel });
      let store: Store;
      try {
        store = await openStore(options.db, {
          onBackgroundError: (error) =>
            logger.error("db.error", { error: error.message }),
          // The server writes only login times; the admin commands, which
          // write accounts, keep the default fsync on every commit.
          sqliteSynchronous: "normal",
        });
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        console.error(`switchboard: ${error.message}`);
        Deno.exit(1);
      }
      const hasher = new PasswordHasher();
      if (options.auth === "accounts" && await store.countAccounts() === 0) {
        console.log(noAccountsNotice(options.db));
      }
      const server = await RelayServer.start({
        hostname: options.host,
        port: options.port,
        logger,
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
        },
      });
      await stopOnSignal(server, store, logger);
      console.log(
        `switchboard listening on tcp://${options.host}:${server.port} (auth: ${options.auth}, db: ${store.location})`,
      );
    });
}

/** First SIGINT/SIGTERM: close cleanly and exit 0. Second: exit at once. */
function stopOnSignal(
  server: RelayServer,
  store: Store,
  logger: ReturnType<typeof createLogger>,
) {
  let stopping = false;
  const stop = async (signal: Deno.Signal) => {
    if (stopping) {
      logger.warn("server.forced_exit", { signal });
      Deno.exit(1);
    }
    stopping = true;
    logger.info("server.stopping", { signal, sessions: server.sessionCount });
    await server.close();
    await store.close();
    logger.info("server.stopped");
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
  return Promise.resolve();
}

/**
 * What `serve` prints when no one can log in yet: how to add an account,
 * and how to let anyone in while trying it out.
 */
export function noAccountsNotice(db: string): string {
  const main = new URL("./main.ts", import.meta.url);
  let command = "switchboard";
  if (main.protocol === "file:") {
    const path = main.pathname;
    const cwd = Deno.cwd().replace(/\/?$/, "/");
    command = `deno run -A ${
      path.startsWith(cwd) ? path.slice(cwd.length) : path
    }`;
  }
  if (db === ":memory:") {
    return [
      "switchboard: the in-memory database holds no accounts, so no one can log in with --auth accounts.",
      "  Use a database file (--db FILE) and add accounts to it, or let anyone in:",
      `    ${command} serve --auth open --db :memory:`,
    ].join("\n");
  }
  const shown = describeTarget(db);
  const dbFlag = db === DEFAULT_DB ? "" : ` --db ${shellQuote(shown)}`;
  return [
    `switchboard: ${shown} holds no accounts yet, so no one can log in with --auth accounts.`,
    "  Add one (the password is read from standard input, or asked for without --password-stdin):",
    `    ${command} users add NAME --password-stdin${dbFlag}`,
    "  Or, just to try it out, let anyone in with any name and password:",
    `    ${command} serve --auth open${dbFlag}`,
  ].join("\n");
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text)
    ? text
    : `'${text.replaceAll("'", "'\\''")}'`;
}
