/**
 * The annotations a fenced block of the docs may carry, on the line (or
 * lines) above its opening fence, with nothing but blank lines between
 * (docs/design.md, "Documentation that runs"):
 *
 * - `<!-- illustration -->`: not run.
 * - `<!-- doc-test: D, D, … -->` with directives `skip "why"`, `check`,
 *   `background`, `wait-for "REGEX"`, `stop`, `terminal`, `answer "TEXT"`,
 *   `exit N`, `timeout 90s`, `file "PATH"`, `output "REGEX"`.
 *
 * Strings are JSON strings (`"a \"b\""`). Pure: parsing only.
 */

/** What a block's annotations ask for; every field optional. */
export interface Directives {
  /** An illustration: never run. */
  readonly illustration?: true;
  /** Meant to run, but not by the doc test: the reason. */
  readonly skip?: string;
  /** A TypeScript block that is type-checked and not run. */
  readonly check?: true;
  /** Runs in the background (a terminal of its own) until `stop` or the end. */
  readonly background?: true;
  /** A background block is ready once a line of its output matches. */
  readonly waitFor?: RegExp;
  /** Before this block, stop (Ctrl-C) every background block. */
  readonly stop?: true;
  /** Runs on a pseudo-terminal (for password prompts). */
  readonly terminal?: true;
  /** What to type at each prompt of a `terminal` block. */
  readonly answer?: string;
  /** The exit status the block must end with (0 unless given). */
  readonly exit?: number;
  /** Longest run (or wait for `wait-for`), in milliseconds. */
  readonly timeoutMs?: number;
  /** The block is the text of this file, in the project directory. */
  readonly file?: string;
  /** The block's output (standard output and error) must match. */
  readonly output?: RegExp;
}

/** An annotation that cannot be read; the message says what is wrong. */
export class DirectiveError extends SyntaxError {
  /** `code` is always `bad-directive`. */
  readonly code = "bad-directive";

  /** An error about the annotation `text`. */
  constructor(text: string, why: string) {
    super(`${why} in ${JSON.stringify(text)}`);
    this.name = "DirectiveError";
  }
}

const ILLUSTRATION = /^<!--\s*illustration\s*-->$/;
const DOC_TEST = /^<!--\s*doc-test:(.*)-->$/;

/** True when `line` is an annotation comment (of either kind). */
export function isAnnotation(line: string): boolean {
  const text = line.trim();
  return ILLUSTRATION.test(text) || DOC_TEST.test(text);
}

/**
 * The directives of one annotation line.
 *
 * @throws {DirectiveError} for an unknown directive, a missing or badly
 *   quoted argument, or a bad regular expression.
 */
export function parseAnnotation(line: string): Directives {
  const text = line.trim();
  if (ILLUSTRATION.test(text)) return { illustration: true };
  const match = DOC_TEST.exec(text);
  if (match === null) throw new DirectiveError(text, "not an annotation");
  const out: Record<string, unknown> = {};
  const reader = new Reader(match[1]!, text);
  do {
    const word = reader.word();
    switch (word) {
      case "skip":
        out.skip = reader.string();
        break;
      case "check":
      case "background":
      case "stop":
      case "terminal":
        out[word] = true;
        break;
      case "wait-for":
        out.waitFor = reader.regex();
        break;
      case "output":
        out.output = reader.regex();
        break;
      case "answer":
        out.answer = reader.string();
        break;
      case "file":
        out.file = reader.string();
        break;
      case "exit":
        out.exit = reader.integer();
        break;
      case "timeout":
        out.timeoutMs = reader.seconds() * 1000;
        break;
      default:
        throw new DirectiveError(
          text,
          `unknown directive ${
            JSON.stringify(word)
          } (known: skip, check, background, wait-for, stop, terminal, answer, exit, timeout, file, output)`,
        );
    }
  } while (reader.comma());
  reader.end();
  return out as Directives;
}

/** Merges the directives of several annotation lines, later ones winning. */
export function mergeDirectives(list: readonly Directives[]): Directives {
  return Object.assign({}, ...list);
}

/** A left-to-right reader over a directive list. */
class Reader {
  #rest: string;
  readonly #text: string;

  constructor(body: string, text: string) {
    this.#rest = body.trim();
    this.#text = text;
  }

  word(): string {
    const match = /^[a-z][a-z-]*/.exec(this.#rest);
    if (match === null) throw this.#error("expected a directive");
    this.#advance(match[0].length);
    return match[0];
  }

  string(): string {
    const match = /^"(?:[^"\\]|\\.)*"/.exec(this.#rest);
    if (match === null) throw this.#error("expected a quoted string");
    this.#advance(match[0].length);
    return JSON.parse(match[0]) as string;
  }

  regex(): RegExp {
    const source = this.string();
    try {
      return new RegExp(source, "m");
    } catch (error) {
      throw this.#error(`bad regular expression (${(error as Error).message})`);
    }
  }

  integer(): number {
    const match = /^\d{1,3}/.exec(this.#rest);
    if (match === null) throw this.#error("expected a number");
    this.#advance(match[0].length);
    return Number(match[0]);
  }

  seconds(): number {
    const match = /^(\d{1,4})s\b/.exec(this.#rest);
    if (match === null) throw this.#error("expected seconds such as 90s");
    this.#advance(match[0].length);
    return Number(match[1]);
  }

  comma(): boolean {
    if (!this.#rest.startsWith(",")) return false;
    this.#advance(1);
    return true;
  }

  end(): void {
    if (this.#rest !== "") throw this.#error("expected , or the end");
  }

  #advance(n: number): void {
    this.#rest = this.#rest.slice(n).trimStart();
  }

  #error(why: string): DirectiveError {
    return new DirectiveError(
      this.#text,
      `${why} at ${JSON.stringify(this.#rest.slice(0, 20))}`,
    );
  }
}
