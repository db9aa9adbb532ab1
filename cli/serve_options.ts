/**
 * The flags of `switchboard serve` and how each is parsed; the action that
 * runs the server with them is in serve_action.ts.
 *
 * @example
 * ```ts ignore
 * import { serveOptions } from "./serve_options.ts";
 * const command = serveOptions().action((options) => console.log(options.port));
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
  DEFAULT_MAX_QUEUED_CHECKS,
  type FlushPolicy,
  LOG_FORMATS,
  LOG_LEVELS,
} from "../server/mod.ts";
import { PASSWORD_ENV } from "../server/cluster/mod.ts";
import { dbOption, dbUrlFileOption } from "./db_choice.ts";
import { addWebOptions } from "./web_options.ts";
import { TCP_IMPLS, UDP_IMPLS } from "./serve_transports.ts";
import { DEFAULT_RECEIVE_BUFFER_BYTES } from "../net/posix/epoll_datagram.ts";

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

/**
 * The `serve` command with its typed flags and no action yet (the limit
 * flags, untyped, are added by {@linkcode addLimitOptions} afterwards).
 */
export function serveOptions() {
  return addWebOptions(new Command("serve"))
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
        .choices(TCP_IMPLS).default("auto" as const).hideHelp(),
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
      "--no-udp-packing",
      "never pack several relayed messages into one datagram, even for clients whose UDP handshake asks for it",
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
        .choices(UDP_IMPLS).default("auto" as const).hideHelp(),
    )
    .option(
      "--udp-receive-buffer <bytes>",
      "the UDP socket's receive buffer (SO_RCVBUF; the kernel caps it at net.core.rmem_max); 0 keeps the system's default",
      integer(0, 64 * 1024 * 1024),
      DEFAULT_RECEIVE_BUFFER_BYTES,
    )
    .addOption(
      new Option(
        "--reuse-port",
        "let several serve processes on this host share the TCP port (SO_REUSEPORT; with --cluster, TCP only: see docs/operations.md, More cores)",
      ).default(false).implies({ udp: false }),
    );
}

/** The parsed flags of `serve`, as its action receives them. */
export type ServeOptions = ReturnType<
  ReturnType<typeof serveOptions>["opts"]
>;

/** The `serve` command as its action receives it. */
export type ServeCommand = ReturnType<typeof serveOptions>;
