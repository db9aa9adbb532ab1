/**
 * Where the admin commands get passwords: a hidden prompt on a terminal,
 * or standard input with `--password-stdin`. Never a flag's value, which
 * would show in `ps` and in shell history.
 *
 * @example
 * ```ts
 * import { readPassword } from "./password_input.ts";
 * const password = await readPassword({ fromStdin: true, prompt: "Password: " });
 * ```
 * @module
 */

/** Bytes read from standard input for one password, at most. */
export const MAX_PASSWORD_INPUT_BYTES = 4096;

/** No password could be had; the message says what to do. */
export class PasswordInputError extends Error {
  /** Creates the error with a stable `code`. */
  constructor(
    readonly code: "no-terminal" | "mismatch" | "aborted" | "too-long",
    message: string,
  ) {
    super(message);
    this.name = "PasswordInputError";
  }
}

/** Options of {@linkcode readPassword}. */
export interface ReadPasswordOptions {
  /** Read it from standard input (one line; the newline is dropped). */
  fromStdin: boolean;
  /** What the terminal prompt says. */
  prompt: string;
  /** On a terminal, ask twice and insist they match. */
  confirm?: boolean;
  /** Why a password is asked for at all, when the command did not say. */
  reason?: string;
}

/**
 * Reads a password from standard input or a hidden terminal prompt.
 *
 * @throws {PasswordInputError} with no terminal and no `--password-stdin`,
 * when the two entries differ, or when the prompt is abandoned.
 */
export async function readPassword(
  options: ReadPasswordOptions,
): Promise<string> {
  if (options.fromStdin) return await readStdinLine();
  if (!Deno.stdin.isTerminal()) {
    const asked = options.prompt.replace(/:\s*$/, "").toLowerCase();
    throw new PasswordInputError(
      "no-terminal",
      `${
        options.reason ?? "this command"
      } asks for the ${asked} on the terminal, and standard input is not a terminal`,
    );
  }
  const first = await prompt(options.prompt);
  if (!options.confirm) return first;
  const again = await prompt("Again: ");
  if (again !== first) {
    throw new PasswordInputError("mismatch", "the two passwords differ");
  }
  return first;
}

async function readStdinLine(): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of Deno.stdin.readable) {
    total += chunk.length;
    if (total > MAX_PASSWORD_INPUT_BYTES) {
      throw new PasswordInputError(
        "too-long",
        `more than ${MAX_PASSWORD_INPUT_BYTES} bytes on standard input for one password`,
      );
    }
    chunks.push(chunk);
  }
  const text = new TextDecoder().decode(concat(chunks, total));
  // One line: `echo secret |` and `printf secret |` give the same password.
  return text.replace(/\r?\n$/, "");
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const ENTER_CR = 0x0d;
const ENTER_LF = 0x0a;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x7f;
const CTRL_H = 0x08;

/** Reads one line from the terminal in raw mode: nothing is echoed. */
async function prompt(text: string): Promise<string> {
  const encoder = new TextEncoder();
  // Raw mode first: anything typed once the prompt shows is never echoed.
  Deno.stdin.setRaw(true);
  const decoder = new TextDecoder();
  let password = "";
  try {
    await Deno.stderr.write(encoder.encode(text));
    const buffer = new Uint8Array(256);
    while (true) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) throw aborted();
      for (const byte of buffer.subarray(0, n)) {
        if (byte === ENTER_CR || byte === ENTER_LF) {
          return password + decoder.decode();
        } else if (byte === CTRL_C || (byte === CTRL_D && password === "")) {
          throw aborted();
        } else if (byte === BACKSPACE || byte === CTRL_H) {
          password = [...password].slice(0, -1).join("");
        } else if (byte >= 0x20) {
          password += decoder.decode(Uint8Array.of(byte), { stream: true });
        }
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stderr.write(encoder.encode("\n"));
  }
}

function aborted(): PasswordInputError {
  return new PasswordInputError("aborted", "no password entered");
}
