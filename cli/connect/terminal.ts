/**
 * The REPL's terminal: line editing, history and tab completion from
 * `node:readline` (it works in Deno and handles wrapping, Unicode and
 * the usual keys), printing above the line being typed without garbling
 * it, and a password prompt that echoes nothing.
 *
 * Only documented readline API is used. For the password, readline is
 * closed and stdin read in raw mode, then a new readline is opened with the
 * same history: no readline option hides echo, and the password must never
 * enter the history.
 *
 * @example
 * ```ts ignore
 * import { Terminal } from "./terminal.ts";
 * const term = new Terminal({
 *   prompt: "> ",
 *   history: [],
 *   completer: (line) => [[], line],
 *   onHistory: () => {},
 * });
 * term.onLine((line) => term.print(`you typed ${line}`));
 * ```
 * @module
 */
import process from "node:process";
import readline from "node:readline";
import { MAX_HISTORY_LINES } from "./history_file.ts";

/** What the terminal needs from the REPL. */
export interface TerminalOptions {
  /** The prompt shown before the line. */
  readonly prompt: string;
  /** Earlier entries, newest first. */
  readonly history: readonly string[];
  /** Tab completion: the candidates and the word they complete. */
  completer(
    line: string,
  ): [string[], string] | Promise<[string[], string]>;
  /** Called with the whole history (newest first) when it changes. */
  onHistory(newestFirst: readonly string[]): void;
}

const ESC = "\x1b";

/** An interactive terminal for one REPL. */
export class Terminal {
  readonly #options: TerminalOptions;
  #rl: readline.Interface | null = null;
  #history: string[];
  #prompt: string;
  #secretPrompt: string | null = null;
  #onLine: (line: string) => void = () => {};
  #onClose: () => void = () => {};
  #closed = false;

  /** Opens the line editor on stdin/stdout. */
  constructor(options: TerminalOptions) {
    this.#options = options;
    this.#history = [...options.history];
    this.#prompt = options.prompt;
    this.#open();
  }

  /** Calls `listener` with each line typed. */
  onLine(listener: (line: string) => void): void {
    this.#onLine = listener;
  }

  /** Calls `listener` once when the person ends input (Ctrl-D, Ctrl-C). */
  onClose(listener: () => void): void {
    this.#onClose = listener;
  }

  /** Changes the prompt and redraws the line. */
  setPrompt(prompt: string): void {
    if (prompt === this.#prompt) return;
    this.#prompt = prompt;
    if (this.#rl !== null) {
      this.#rl.setPrompt(prompt);
      this.#rl.prompt(true);
    }
  }

  /** Prints `text` above the line being typed, then redraws that line. */
  print(text: string): void {
    const out = process.stdout;
    if (this.#secretPrompt !== null) {
      readline.cursorTo(out, 0);
      readline.clearLine(out, 0);
      out.write(`${text}\n${this.#secretPrompt}`);
      return;
    }
    if (this.#rl === null) {
      out.write(text + "\n");
      return;
    }
    const { rows } = this.#rl.getCursorPos();
    readline.moveCursor(out, 0, -rows);
    readline.cursorTo(out, 0);
    readline.clearScreenDown(out);
    out.write(text + "\n");
    this.#rl.prompt(true);
  }

  /**
   * Asks for a secret without echoing it. Resolves to null when the person
   * cancels with Ctrl-C or Ctrl-D.
   */
  readSecret(prompt: string): Promise<string | null> {
    const stdin = process.stdin;
    const out = process.stdout;
    this.#suspend();
    // Closing readline turned echo back on: turn it off again before the
    // prompt shows, so nothing typed after the prompt is ever echoed.
    stdin.setRawMode(true);
    this.#secretPrompt = prompt;
    out.write(prompt);
    stdin.resume();
    return new Promise((resolve) => {
      let value = "";
      let escape = false;
      const finish = (result: string | null) => {
        stdin.off("data", onData);
        stdin.setRawMode(false);
        this.#secretPrompt = null;
        out.write("\n");
        if (!this.#closed) this.#open();
        resolve(result);
      };
      const onData = (chunk: Uint8Array | string) => {
        const text = typeof chunk === "string"
          ? chunk
          : new TextDecoder().decode(chunk);
        for (const ch of text) {
          if (escape) {
            // the rest of an arrow key or similar: ends with a letter or ~
            escape = !/[A-Za-z~]/.test(ch);
          } else if (ch === ESC) escape = true;
          else if (ch === "\r" || ch === "\n") return finish(value);
          else if (ch === "\x03" || (ch === "\x04" && value === "")) {
            return finish(null);
          } else if (ch === "\x7f" || ch === "\b") {
            value = Array.from(value).slice(0, -1).join("");
          } else if (ch === "\x15") value = "";
          else if (ch >= " ") value += ch;
        }
      };
      stdin.on("data", onData);
    });
  }

  /** Closes the editor; no more lines are read. */
  close(): void {
    this.#closed = true;
    const rl = this.#rl;
    this.#rl = null;
    rl?.close();
    process.stdin.pause();
  }

  #open(): void {
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      prompt: this.#prompt,
      history: [...this.#history],
      historySize: MAX_HISTORY_LINES,
      removeHistoryDuplicates: true,
      // The callback form, so that completion may ask the server first.
      completer: (
        line: string,
        done: (error: Error | null, result: [string[], string]) => void,
      ) => {
        Promise.resolve(this.#options.completer(line)).then(
          (result) => done(null, result),
          () => done(null, [[], line]),
        );
      },
    });
    rl.on("history", (history: string[]) => {
      this.#history = history;
      this.#options.onHistory(history);
    });
    rl.on("line", (line: string) => {
      this.#onLine(line);
      if (this.#rl === rl) rl.prompt();
    });
    rl.on("SIGINT", () => {
      if (rl.line === "") return this.#end();
      // Ctrl-C on a half-typed line clears it, like a shell
      rl.write(null, { ctrl: true, name: "e" });
      rl.write(null, { ctrl: true, name: "u" });
    });
    rl.on("close", () => {
      if (this.#rl === rl) this.#end();
    });
    this.#rl = rl;
    rl.prompt();
  }

  #suspend(): void {
    const rl = this.#rl;
    this.#rl = null;
    rl?.close();
  }

  #end(): void {
    if (this.#closed) return;
    this.close();
    process.stdout.write("\n");
    this.#onClose();
  }
}
