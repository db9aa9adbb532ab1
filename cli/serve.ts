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
  type FlushPolicy,
  LOG_LEVELS,
  NodeTcpTransport,
  RelayServer,
} from "../server/mod.ts";

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
  return new Command("serve")
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
      "--flush <when>",
      "when queued lines are written: turn, immediate, or a number of milliseconds",
      flushPolicy,
      "turn" as FlushPolicy,
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
      const server = await RelayServer.start({
        hostname: options.host,
        port: options.port,
        logger,
        flush: options.flush,
        transport: options.tcpImpl === "deno"
          ? new DenoTcpTransport()
          : new NodeTcpTransport(),
        limits: {
          maxLineBytes: options.maxLineBytes,
          maxOutboundBytes: options.maxOutboundBytes,
        },
      });
      await stopOnSignal(server, logger);
      console.log(
        `switchboard listening on tcp://${options.host}:${server.port} (auth: ${options.auth})`,
      );
    });
}

/** First SIGINT/SIGTERM: close cleanly and exit 0. Second: exit at once. */
function stopOnSignal(
  server: RelayServer,
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
    logger.info("server.stopped");
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
  return Promise.resolve();
}
