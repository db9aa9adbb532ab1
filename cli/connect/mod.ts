/**
 * `switchboard connect [host:port]`: the REPL on a terminal, script mode
 * when stdin is not a terminal or with `--script FILE`.
 *
 * @example
 * ```sh
 * deno run -A cli/main.ts connect 127.0.0.1:7777
 * printf 'login ada pw\n2:lobby\nexpect ^4:\n' | deno run -A cli/main.ts connect
 * ```
 * @module
 */
import process from "node:process";
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { DEFAULT_SERVER_PORT } from "../../client/mod.ts";
import { type Address, parseAddress } from "./address.ts";
import { wantsColor } from "./format.ts";
import { historyPath } from "./history_file.ts";
import { readLines } from "./read_lines.ts";
import { runRepl } from "./repl.ts";
import { errorText } from "../cli_error.ts";
import { runScript, ScriptExit } from "./script.ts";
import { MAX_WAIT_MS } from "./script_parser.ts";

/** How long `expect` waits by default. */
export const DEFAULT_EXPECT_MS = 5_000;

function address(text: string): Address {
  try {
    return parseAddress(text, DEFAULT_SERVER_PORT);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function waitMs(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_WAIT_MS) {
    throw new InvalidArgumentError(
      `expected milliseconds from 1 to ${MAX_WAIT_MS}`,
    );
  }
  return n;
}

/** The `connect` subcommand. */
export function connectCommand() {
  return new Command("connect")
    .description(
      "talk to a server: a REPL on a terminal, a script when stdin is not one",
    )
    .argument(
      "[address]",
      "server as host:port, tcp://host:port, tls://host:port, ws://host:port/ws or wss://host:port/ws",
      address,
      { host: "127.0.0.1", port: DEFAULT_SERVER_PORT },
    )
    .option("--script <file>", "run the script in FILE instead of a REPL")
    .option(
      "--ca-cert <file>",
      "trust this PEM certificate (a private CA) for tls:// and wss://",
    )
    .option("--json", "print each incoming line as one JSON object")
    .option("--timestamps", "print a time stamp before each line")
    .option(
      "--show-secrets",
      "print passwords and the login reply's UDP secret instead of ***",
    )
    .option(
      "--history <file>",
      "REPL history file (default $SWITCHBOARD_HISTORY or ~/.switchboard_history)",
    )
    .option(
      "--expect-timeout <ms>",
      "how long expect waits without 'within'",
      waitMs,
      DEFAULT_EXPECT_MS,
    )
    .action(async (given, options) => {
      let target = given;
      if (options.caCert !== undefined) {
        try {
          target = {
            ...given,
            caCerts: [await Deno.readTextFile(options.caCert)],
          };
        } catch (error) {
          console.error(
            errorText(
              `cannot read --ca-cert: ${(error as Error).message}`,
              "give the PEM file of the certificate authority that signed the server's certificate",
            ),
          );
          Deno.exit(ScriptExit.Unusable);
        }
      }
      const timestamps = options.timestamps ?? false;
      const showSecrets = options.showSecrets ?? false;
      const json = options.json ?? false;
      const color = wantsColor(
        Deno.stdout.isTerminal(),
        Deno.env.get("NO_COLOR"),
      );
      if (options.script === undefined && Deno.stdin.isTerminal()) {
        await runRepl({
          address: target,
          style: { color, timestamps, showSecrets },
          json,
          historyFile: options.history ?? historyPath(Deno.env.toObject()),
        });
        Deno.exit(0);
      }
      let input: ReadableStream<Uint8Array>;
      try {
        input = options.script === undefined
          ? Deno.stdin.readable
          : (await Deno.open(options.script)).readable;
      } catch (error) {
        console.error(
          errorText(
            `cannot read the script: ${(error as Error).message}`,
            "check the file name given to --script",
          ),
        );
        Deno.exit(ScriptExit.Unusable);
      }
      const code = await runScript({
        address: target,
        source: options.script ?? "stdin",
        lines: readLines(input),
        style: { color, timestamps, showSecrets },
        json,
        expectTimeoutMs: options.expectTimeout,
        out: (line) => process.stdout.write(line + "\n"),
        err: (text) => process.stderr.write(text + "\n"),
      }).catch((error) => {
        console.error(
          errorText(
            (error as Error).message,
            "the connection failed while the script ran; run it again",
          ),
        );
        return ScriptExit.Unusable;
      });
      Deno.exit(code);
    });
}
