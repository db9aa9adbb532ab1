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
  createLogger,
  DenoTcpTransport,
  installLastResort,
  LOG_LEVELS,
  NodeTcpTransport,
  RelayServer,
  Shutdown,
} from "../server/mod.ts";
import { addLimitOptions, limitOverrides } from "./limit_options.ts";

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
  const command = new Command("serve")
    .description("run the relay server")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--port <port>",
      "TCP port; 0 picks a free one",
      integer(0, 65535),
      DEFAULT_PORT,
    )
    .option(
      "--db <file>",
      "database file (accounts and declared rooms)",
      "switchboard.db",
    )
    .addOption(
      new Option(
        "--auth <mode>",
        "open: any username and password; accounts: the database",
      )
        .choices(["open", "accounts"] as const).default("open" as const),
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
    .option(
      "--idle-timeout <seconds>",
      "close connections that send no line for this long; 0: never",
      integer(0, 86_400),
      0,
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
    .action(async (options) => {
      if (options.auth === "accounts") {
        console.error(
          "switchboard: --auth accounts is not available yet in this version; use --auth open",
        );
        Deno.exit(2);
      }
      const logger = createLogger({ level: options.logLevel });
      installLastResort(logger);
      const server = await RelayServer.start({
        hostname: options.host,
        port: options.port,
        logger,
        transport: options.tcpImpl === "deno"
          ? new DenoTcpTransport()
          : new NodeTcpTransport(),
        limits: {
          maxLineBytes: options.maxLineBytes,
          maxOutboundBytes: options.maxOutboundBytes,
          ...limitOverrides(options),
        },
        idleTimeoutMs: options.idleTimeout * 1000,
      });
      new Shutdown({
        server,
        // Closed in order after the server has ended every session and
        // flushed: the database's closer goes here.
        closers: [],
        logger,
        timeoutMs: options.shutdownTimeout * 1000,
        exit: (code) => Deno.exit(code),
      }).listen();
      console.log(
        `switchboard listening on tcp://${options.host}:${server.port} (auth: ${options.auth})`,
      );
    });
  addLimitOptions(command);
  return command;
}
