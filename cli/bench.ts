/**
 * `switchboard bench`: one load test, against `--target` or a server it
 * starts itself.
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts bench --clients 100 --room-size 10 --duration 5
 * ```
 * @module
 */
import {
  Command,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import { formatTable } from "../bench/report.ts";
import { BenchError, runBench } from "../bench/runner.ts";
import { exitWithError } from "./cli_error.ts";
import { commandLine } from "./invocation.ts";

function number(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    }
    return n;
  };
}

/** The `bench` subcommand. */
export function benchCommand() {
  return new Command("bench")
    .description(
      "load-test a relay: N clients in rooms of K sending R msg/s (or as fast as possible)",
    )
    .option(
      "--target <host:port>",
      "a running server, or a deployment's nodes as host:port,host:port,… (default: start one on a free port)",
    )
    .addOption(
      new Option(
        "--spread <how>",
        "with several targets: span puts each room's members on different nodes, whole keeps each room on one node",
      ).choices(["span", "whole"] as const).default("span" as const),
    )
    .option("--server-args <flags>", "extra flags for the server it starts", "")
    .option("--clients <n>", "simulated clients", number(1, 20_000), 100)
    .option("--room-size <k>", "clients per room", number(1, 10_000), 10)
    .option(
      "--rate <r>",
      "messages/s per client; 0 = as fast as the window allows",
      number(0),
      0,
    )
    .option(
      "--window <w>",
      "messages in flight per client when --rate is 0",
      number(1, 100_000),
      16,
    )
    .option("--payload <bytes>", "payload size", number(17, 60_000), 100)
    .addOption(
      new Option("--mode <m>", "send mode 3:<m>").choices(
        ["0", "1", "2", "3"] as const,
      ).default("1" as const),
    )
    .addOption(
      new Option(
        "--pattern <p>",
        "room: everyone talks; pingpong: pairs bounce; idle: log in and wait",
      )
        .choices(["room", "pingpong", "idle"] as const).default(
          "room" as const,
        ),
    )
    .option("--duration <s>", "measured seconds", number(0.1, 3600), 5)
    .option("--warmup <s>", "seconds before measuring", number(0, 600), 1)
    .option("--workers <n>", "load-generating worker threads", number(1, 64), 1)
    .addOption(
      new Option(
        "--transport <t>",
        "tcp, or udp: messages as datagrams over each client's UDP channel",
      )
        .choices(["tcp", "udp"] as const).default("tcp" as const),
    )
    .option(
      "--udp-port <port>",
      "the target's UDP port, if not its TCP port's number",
      number(1, 65535),
    )
    .addOption(
      new Option("--socket-api <api>", "the generator's socket API")
        .choices(["node", "deno"] as const).default("node" as const),
    )
    .option("--json", "print the result as JSON")
    .action(async (options) => {
      const live = !options.json && Deno.stderr.isTerminal();
      const result = await runBench({
        target: options.target,
        spread: options.spread,
        serverArgs: options.serverArgs.split(" ").filter((s) => s !== ""),
        clients: options.clients,
        roomSize: options.roomSize,
        workers: options.workers,
        warmupMs: options.warmup * 1000,
        durationMs: options.duration * 1000,
        config: {
          mode: Number(options.mode) as 0 | 1 | 2 | 3,
          rate: options.rate,
          window: options.window,
          payloadBytes: options.payload,
          pattern: options.pattern,
          socketApi: options.socketApi,
          transport: options.transport,
        },
        udpPort: options.udpPort,
        onProgress: (p) => {
          const line = `  ${(p.elapsedMs / 1000).toFixed(1)} s  sent ${
            Math.round(p.sentPerSecond)
          }/s  delivered ${Math.round(p.deliveredPerSecond)}/s`;
          if (live) {
            Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[K${line}`));
          }
        },
      }).catch((error) => {
        if (!(error instanceof BenchError)) throw error;
        exitWithError(error.message, benchHint(error), 2);
      });
      if (live) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[K"));
      if (options.json) console.log(JSON.stringify(result));
      else console.log(formatTable([{ name: options.pattern, result }]));
    });
}

/** What to do after a bench run could not be carried out. */
function benchHint(error: BenchError): string {
  return /worker|server/.test(error.message)
    ? "run it again with --json for the details; is the machine short of memory or file descriptors?"
    : `'${commandLine("bench --help")}' lists the settings and their ranges`;
}
