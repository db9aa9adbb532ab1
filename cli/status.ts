/**
 * `switchboard status [--watch]`: a running server's totals, rates and
 * rooms, read from its admin endpoint. With `--watch` on a terminal it is
 * redrawn in place like `top` (q or Ctrl-C quits); when the output is not a
 * terminal each refresh is one `key=value` line; `--json` prints the
 * endpoint's `/status` as it is.
 *
 * @example
 * ```sh ignore
 * switchboard status --admin http://127.0.0.1:7778 --token-file admin.token
 * switchboard status --watch --interval 1
 * switchboard status --watch --json | jq .totals.sessions
 * ```
 * @module
 */
import { ERROR_PREFIX, errorText } from "./cli_error.ts";
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import type { StatusReport } from "../server/mod.ts";
import {
  AdminClient,
  AdminRequestError,
  adminUrlOption,
  failAdmin,
  readToken,
  tokenFileOption,
} from "./admin_client.ts";
import { ratesBetween, statusLine, statusView } from "./status_view.ts";

const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
const CLEAR_SCREEN = "\x1b[2J";
const HOME = "\x1b[H";
const CLEAR_LINE_END = "\x1b[K";
const CLEAR_BELOW = "\x1b[J";

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.2 || n > 3600) {
    throw new InvalidArgumentError("expected seconds from 0.2 to 3600");
  }
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) {
    throw new InvalidArgumentError("expected a whole number from 1 up");
  }
  return n;
}

/** The `status` command. */
export function statusCommand() {
  return new Command("status")
    .description(
      "show a running server's totals, rates and rooms (through its admin endpoint)",
    )
    .addOption(adminUrlOption())
    .addOption(tokenFileOption())
    .option(
      "--watch",
      "keep showing it: redrawn in place on a terminal (q or Ctrl-C quits), one line per refresh otherwise",
    )
    .option(
      "--interval <seconds>",
      "seconds between refreshes with --watch",
      seconds,
      2,
    )
    .option("--count <n>", "with --watch, stop after n refreshes", positive)
    .option(
      "--json",
      "print the endpoint's /status JSON (one object per line with --watch)",
    )
    .action(async (options) => {
      let client: AdminClient;
      try {
        client = new AdminClient(
          options.admin,
          await readToken(options.tokenFile),
        );
      } catch (error) {
        return failAdmin(error);
      }
      if (!options.watch) {
        let report: StatusReport;
        try {
          report = await client.get<StatusReport>("/status");
        } catch (error) {
          return failAdmin(error);
        }
        await write(
          options.json
            ? JSON.stringify(report, null, 2) + "\n"
            : statusView(report, ratesBetween(null, report), {
              width: terminalSize()?.columns ?? 200,
            }).join("\n") + "\n",
        );
        return;
      }
      const code = await watch(client, {
        intervalMs: options.interval * 1000,
        count: options.count,
        json: options.json === true,
      });
      Deno.exit(code);
    });
}

async function watch(
  client: AdminClient,
  options: { intervalMs: number; count?: number; json: boolean },
): Promise<number> {
  const terminal = Deno.stdout.isTerminal() && !options.json;
  const quit = quitSignal(terminal);
  let previous: StatusReport | null = null;
  if (terminal) await write(HIDE_CURSOR + CLEAR_SCREEN);
  try {
    for (let i = 0; options.count === undefined || i < options.count; i++) {
      if (i > 0 && await quit.within(options.intervalMs)) break;
      let report: StatusReport;
      try {
        report = await client.get<StatusReport>("/status");
      } catch (error) {
        if (!(error instanceof AdminRequestError)) throw error;
        if (error.code === "unauthorized" || error.code === "no-token") {
          throw error;
        }
        // The server may be restarting: say so and keep trying.
        await write(
          terminal
            ? `${HOME}${ERROR_PREFIX}${error.message}${CLEAR_LINE_END}\n${CLEAR_BELOW}`
            : `${new Date().toISOString()} error=${
              JSON.stringify(error.message)
            }\n`,
        );
        previous = null;
        continue;
      }
      const rates = ratesBetween(previous, report);
      previous = report;
      if (options.json) await write(JSON.stringify(report) + "\n");
      else if (!terminal) await write(statusLine(report, rates) + "\n");
      else {
        const size = terminalSize() ?? { columns: 120, rows: 40 };
        const lines = statusView(report, rates, {
          width: size.columns,
          height: size.rows - 1,
        });
        lines.push(`refresh every ${options.intervalMs / 1000} s; q quits`);
        await write(
          HOME + lines.map((l) => l + CLEAR_LINE_END).join("\n") + "\n" +
            CLEAR_BELOW,
        );
      }
    }
  } catch (error) {
    if (!(error instanceof AdminRequestError)) throw error;
    if (terminal) await write(SHOW_CURSOR);
    quit.release();
    console.error(errorText(error.message));
    return 1;
  }
  if (terminal) await write(SHOW_CURSOR);
  quit.release();
  return 0;
}

/**
 * Resolves early when the person asks to quit: `q` or Ctrl-C typed on a
 * terminal (read raw), or SIGINT.
 */
function quitSignal(terminal: boolean) {
  let quitting = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    quitting = true;
    wake?.();
  };
  const onSignal = () => stop();
  Deno.addSignalListener("SIGINT", onSignal);
  let raw = false;
  if (terminal && Deno.stdin.isTerminal()) {
    try {
      Deno.stdin.setRaw(true);
      raw = true;
      (async () => {
        const buffer = new Uint8Array(16);
        while (!quitting) {
          const n = await Deno.stdin.read(buffer);
          if (n === null) break;
          const keys = buffer.subarray(0, n);
          // q, Q, Ctrl-C (raw mode delivers it as a byte, not a signal)
          if (keys.includes(0x71) || keys.includes(0x51) || keys.includes(3)) {
            stop();
          }
        }
      })().catch(() => {});
    } catch {
      // no raw mode: SIGINT still quits
    }
  }
  return {
    /** Waits `ms`; true if the person asked to quit meanwhile. */
    within(ms: number): Promise<boolean> {
      if (quitting) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          wake = null;
          resolve(quitting);
        }, ms);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    },
    release() {
      Deno.removeSignalListener("SIGINT", onSignal);
      if (raw) Deno.stdin.setRaw(false);
    },
  };
}

/** The terminal's size; a terminal that does not say (0 × 0) gets 120 × 40. */
function terminalSize(): { columns: number; rows: number } | null {
  try {
    if (!Deno.stdout.isTerminal()) return null;
    const { columns, rows } = Deno.consoleSize();
    return { columns: columns || 120, rows: rows || 40 };
  } catch {
    return null;
  }
}

const encoder = new TextEncoder();

async function write(text: string): Promise<void> {
  const bytes = encoder.encode(text);
  let offset = 0;
  while (offset < bytes.length) {
    offset += await Deno.stdout.write(bytes.subarray(offset));
  }
}
