/**
 * Runs `cli/main.ts` under a real pseudo-terminal, through util-linux
 * `script`, so the REPL sees a terminal: raw mode, line editing, no echo.
 * `.ci/install-services` installs `script` where it is missing.
 */
import { DEADLINE_MS } from "./inbox.ts";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;
const encoder = new TextEncoder();

/** True when util-linux `script` can be run. */
export function hasScript(): boolean {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** Drops terminal control sequences (cursor moves, clears, colours). */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r/g, "");
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/** A CLI process on a terminal 120 columns wide. */
export class PtyCli implements AsyncDisposable {
  readonly #process: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reading: Promise<void>;
  /** Everything the terminal showed, with control sequences. */
  output = "";
  #seen = 0;
  #wake: (() => void) | null = null;
  #ended = false;

  /** Starts `deno run -A cli/main.ts ...args` on a new terminal. */
  constructor(args: string[], env: Record<string, string> = {}) {
    const command = `stty cols 120 rows 40; exec ${
      [Deno.execPath(), "run", "-A", MAIN, ...args].map(quote).join(" ")
    }`;
    const process = new Deno.Command("script", {
      args: ["-qfec", command, "/dev/null"],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
      env: { TERM: "xterm-256color", NO_COLOR: "1", ...env },
    }).spawn();
    this.#process = process;
    this.#writer = process.stdin.getWriter();
    this.#reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of process.stdout) {
        this.output += decoder.decode(chunk, { stream: true });
        this.#notify();
      }
      this.#ended = true;
      this.#notify();
    })();
  }

  /** What the terminal showed, without control sequences. */
  get text(): string {
    return stripAnsi(this.output);
  }

  /** Types `keys` (use `\r` for Enter). */
  async type(keys: string): Promise<void> {
    await this.#writer.write(encoder.encode(keys));
  }

  /**
   * Waits until the text shown after the last match matches `pattern`;
   * returns the match. Fails after `ms`, showing the output.
   */
  async waitFor(
    pattern: RegExp,
    ms = DEADLINE_MS * 3,
  ): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    while (true) {
      const match = this.text.slice(this.#seen).match(pattern);
      if (match !== null) {
        // Next waits look only at what comes after this match.
        this.#seen += match.index! + match[0].length;
        return match;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.#ended) {
        throw new Error(
          `terminal never showed ${pattern} (${
            this.#ended ? "process ended" : `${ms} ms`
          }); it showed:\n${this.text}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The exit status, once the process has ended. */
  get status(): Promise<Deno.CommandStatus> {
    return this.#process.status;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#process.kill("SIGTERM");
    } catch {
      // already exited
    }
    await this.#process.status;
    await this.#writer.close().catch(() => {});
    await this.#reading;
  }
}
