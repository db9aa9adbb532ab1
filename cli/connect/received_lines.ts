/**
 * Script mode's record of incoming lines, and the waits `expect` and
 * `expect-none` make on it. `expect` consumes the lines up to its match;
 * `expect-none` looks at the unconsumed lines and what arrives during its
 * window, and consumes nothing.
 *
 * @example
 * ```ts
 * import { ReceivedLines } from "./received_lines.ts";
 * const lines = new ReceivedLines();
 * lines.push("2:7:lobby");
 * lines.push("4:7");
 * const result = await lines.expect(/^4:/, 1000);
 * console.assert(result.ok && lines.unconsumed.length === 0);
 * ```
 * @module
 */

/** A line and when it arrived (ms since the record began). */
export interface Received {
  readonly text: string;
  readonly at: number;
}

/** What `expect` found. */
export type ExpectResult =
  | {
    readonly ok: true;
    readonly line: Received;
    /** The match, with its named groups. */
    readonly match: RegExpExecArray;
  }
  | {
    readonly ok: false;
    /** The lines it looked at, none matching. */
    readonly seen: readonly Received[];
    /** Set when the connection ended before the wait did. */
    readonly ended: string | null;
  };

/** What `expect-none` found. */
export type ExpectNoneResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly line: Received };

/** Every line received, and a cursor past the last `expect` match. */
export class ReceivedLines {
  readonly #lines: Received[] = [];
  readonly #start = performance.now();
  #cursor = 0;
  #ended: string | null = null;
  #wake: (() => void) | null = null;

  /** Lines not yet consumed by an `expect`. */
  get unconsumed(): readonly Received[] {
    return this.#lines.slice(this.#cursor);
  }

  /** Records a line. */
  push(text: string): void {
    this.#lines.push({ text, at: Math.round(performance.now() - this.#start) });
    this.#notify();
  }

  /** No more lines will come; `reason` says why. */
  end(reason: string): void {
    this.#ended ??= reason;
    this.#notify();
  }

  /** Waits up to `ms` for an unconsumed line matching `pattern`. */
  async expect(pattern: RegExp, ms: number): Promise<ExpectResult> {
    const deadline = performance.now() + ms;
    let checked = this.#cursor;
    while (true) {
      for (; checked < this.#lines.length; checked++) {
        const line = this.#lines[checked]!;
        const match = pattern.exec(line.text);
        if (match !== null) {
          this.#cursor = checked + 1;
          return { ok: true, line, match };
        }
      }
      const left = deadline - performance.now();
      if (this.#ended !== null || left <= 0) {
        return { ok: false, seen: this.unconsumed, ended: this.#ended };
      }
      await this.#next(left);
    }
  }

  /** Fails as soon as a line matching `pattern` is seen within `ms`. */
  async expectNone(pattern: RegExp, ms: number): Promise<ExpectNoneResult> {
    const deadline = performance.now() + ms;
    let checked = this.#cursor;
    while (true) {
      for (; checked < this.#lines.length; checked++) {
        const line = this.#lines[checked]!;
        if (pattern.test(line.text)) return { ok: false, line };
      }
      const left = deadline - performance.now();
      if (left <= 0 || this.#ended !== null) return { ok: true };
      await this.#next(left);
    }
  }

  #next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
