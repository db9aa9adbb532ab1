/**
 * Script mode of `connect`, for CI: runs a script's steps in order (see
 * `script_parser.ts` for the language), prints what arrives, and exits 0
 * when every expectation held, 1 when one failed (with what did arrive),
 * 2 when the script or the connection is unusable.
 *
 * @example
 * ```ts ignore
 * import { runScript } from "./script.ts";
 * const code = await runScript({
 *   address: { host: "127.0.0.1", port: 7777 },
 *   source: "inline",
 *   lines: ["login ada pw", "2:lobby", "expect ^4:"],
 *   style: { color: false, timestamps: false },
 *   json: false,
 *   expectTimeoutMs: 5_000,
 *   out: console.log,
 *   err: console.error,
 * });
 * ```
 * @module
 */
import { RelayClient } from "../../client/mod.ts";
import { ERROR_PREFIX, errorText } from "../cli_error.ts";
import { type Address, connectOptions } from "./address.ts";
import { Explainer } from "./explain.ts";
import {
  formatIncoming,
  formatNotice,
  formatSent,
  type Style,
} from "./format.ts";
import { toJson } from "./json.ts";
import { printable } from "./printable.ts";
import { type Received, ReceivedLines } from "./received_lines.ts";
import { parseScriptLine, substitute } from "./script_parser.ts";
import { watchReconnect } from "./reconnect_notices.ts";
import { maskReceived, maskScriptLine } from "./secrets.ts";

/** Exit codes of script mode. */
export const ScriptExit = {
  /** Every expectation held. */
  Passed: 0,
  /** An expectation failed, or a login or join was refused. */
  Failed: 1,
  /** The script has an error, or the server cannot be reached. */
  Unusable: 2,
} as const;

/** What `runScript` needs. */
export interface ScriptOptions {
  readonly address: Address;
  /** The script's name in reports (a file name, or `stdin`). */
  readonly source: string;
  /** The script's lines, read as they come. */
  readonly lines: AsyncIterable<string> | Iterable<string>;
  readonly style: Style;
  /** Print incoming lines as JSON objects, and nothing else on stdout. */
  readonly json: boolean;
  /** How long `expect` waits when no `within` is given. */
  readonly expectTimeoutMs: number;
  /** Standard output, one line per call. */
  out(line: string): void;
  /** Standard error, one line (or block) per call. */
  err(text: string): void;
}

// ignoreBOM: what is shown and matched is the line as received.
const lossy = new TextDecoder("utf-8", { ignoreBOM: true });

/** What to do when the server cannot be reached. */
export const UNREACHABLE_HINT =
  "is the server running (deno task serve), and is the address host:port right?";
const STEPS_HINT =
  'the steps are expect, expect-none, login, join, send and # comments (docs/connect.md, "Script mode")';
const VARIABLE_HINT =
  "set it first with a named group in an expect: expect ^0:(?<me>\\d+)";

/** Runs a script; resolves to the exit code. */
export async function runScript(options: ScriptOptions): Promise<number> {
  let client: RelayClient;
  try {
    client = await RelayClient.connect(connectOptions(options.address));
  } catch (error) {
    options.err(errorText((error as Error).message, UNREACHABLE_HINT));
    return ScriptExit.Unusable;
  }
  await using _ = client;
  const received = new ReceivedLines();
  const explainer = new Explainer();
  client.onMessage((incoming) => {
    const now = new Date();
    received.push(lossy.decode(incoming.raw));
    const explanation = explainer.explain(incoming);
    options.out(
      options.json
        ? JSON.stringify(toJson(incoming, now, options.style.showSecrets))
        : formatIncoming(
          printable(incoming.raw),
          explanation,
          incoming.message.kind,
          options.style,
          now,
        ),
    );
  });
  if (!options.json) {
    client.onSent((line) =>
      options.out(
        formatSent(
          printable(line.subarray(0, line.length - 1)),
          options.style,
          new Date(),
        ),
      )
    );
  }
  // Drops and resumes are said: on standard output, or on standard error
  // when standard output carries JSON only.
  watchReconnect(client, ({ text, level }) => {
    const line = formatNotice(text, level, options.style, new Date());
    if (options.json) options.err(line);
    else options.out(line);
  });
  void client.closed.then((info) =>
    received.end(
      info.byClient
        ? "closed by the script"
        : "the server closed the connection",
    )
  );

  const shown = options.style.showSecrets
    ? { script: (l: string) => l, received: (l: string) => l }
    : { script: maskScriptLine, received: maskReceived };
  const vars = new Map<string, string>();
  let number = 0;
  for await (const text of options.lines) {
    number++;
    const where = `${options.source}:${number}`;
    if (parseScriptLine(text).kind === "nothing") continue;
    const line = substitute(text, vars);
    if (typeof line !== "string") {
      options.err(errorText(`${where}: ${line.error}`, VARIABLE_HINT));
      return ScriptExit.Unusable;
    }
    const step = parseScriptLine(line);
    try {
      switch (step.kind) {
        case "nothing":
          break;
        case "invalid":
          options.err(errorText(`${where}: ${step.message}`, STEPS_HINT));
          return ScriptExit.Unusable;
        case "send":
          await client.sendRaw(step.line);
          break;
        case "login":
          await client.login(step.username, step.password);
          break;
        case "join":
          await client.join(step.room, step.password);
          break;
        case "drop":
          // Not awaited: lines sent meanwhile wait, and go out on resume.
          client.dropConnection(step.downMs);
          break;
        case "expect": {
          const ms = step.within ?? options.expectTimeoutMs;
          const result = await received.expect(step.pattern, ms);
          if (!result.ok) {
            options.err(
              expectReport(where, step.pattern, ms, result, shown.received),
            );
            return ScriptExit.Failed;
          }
          for (
            const [name, value] of Object.entries(result.match.groups ?? {})
          ) {
            if (value !== undefined) vars.set(name, value);
          }
          break;
        }
        case "expect-none": {
          const result = await received.expectNone(step.pattern, step.forMs);
          if (!result.ok) {
            options.err(
              expectNoneReport(
                where,
                step.pattern,
                step.forMs,
                result.line,
                shown.received,
              ),
            );
            return ScriptExit.Failed;
          }
          break;
        }
      }
    } catch (error) {
      options.err(
        `${ERROR_PREFIX}${where}: ${shown.script(line.trim())}\n  failed: ${
          (error as Error).message
        }`,
      );
      return ScriptExit.Failed;
    }
  }
  return ScriptExit.Passed;
}

function listLines(
  lines: readonly Received[],
  show: (line: string) => string,
): string[] {
  return lines.map((l) =>
    `    + ${
      show(printable(new TextEncoder().encode(l.text)))
    }   (at ${l.at} ms)`
  );
}

/**
 * The readable report of a failed `expect`; `show` hides secrets in the
 * lines it lists.
 */
export function expectReport(
  where: string,
  pattern: RegExp,
  ms: number,
  result: { seen: readonly Received[]; ended: string | null },
  show: (line: string) => string = maskReceived,
): string {
  const why = result.ended === null
    ? `within ${ms} ms`
    : `before the connection ended (${result.ended})`;
  return [
    `${ERROR_PREFIX}${where}: expect failed: no line matching ${pattern} ${why}`,
    `  expected: a line matching ${pattern}`,
    result.seen.length === 0
      ? "  received: nothing since the last match"
      : `  received instead (${result.seen.length} line${
        result.seen.length === 1 ? "" : "s"
      } since the last match):`,
    ...listLines(result.seen, show),
  ].join("\n");
}

/** The readable report of a failed `expect-none`, secrets hidden by `show`. */
export function expectNoneReport(
  where: string,
  pattern: RegExp,
  ms: number,
  line: Received,
  show: (line: string) => string = maskReceived,
): string {
  return [
    `${ERROR_PREFIX}${where}: expect-none failed: a line matched ${pattern} within ${ms} ms`,
    `  expected: no line matching ${pattern} for ${ms} ms`,
    `  received:`,
    ...listLines([line], show),
  ].join("\n");
}
