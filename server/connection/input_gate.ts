/**
 * A connection's reading, under flow control: chunks go through the line
 * framer until the connection says it must stop (a line's handling left it
 * busy, rate-limited or held by a receiver); the rest of the chunk is kept
 * (a copy, made once) and the socket is paused, so the client's further
 * bytes wait in the kernel and TCP pushes back on it. When the connection
 * may read again it calls {@linkcode InputGate.wake}: what is kept is
 * framed first, then the socket resumes.
 *
 * What a stopped connection holds is therefore bounded: the rest of one
 * chunk (the transport's read size), plus what the transport delivered
 * before its pause took effect, plus the framer's one partial line.
 *
 * @example
 * ```ts
 * import { LineFramer } from "../../protocol/mod.ts";
 * import { InputGate } from "./input_gate.ts";
 * const lines: string[] = [];
 * let gate: InputGate;
 * const framer = new LineFramer(100, (line) => {
 *   lines.push(new TextDecoder().decode(line));
 *   gate.lineDone();
 * });
 * let paused = false;
 * gate = new InputGate({
 *   framer,
 *   socket: { pause: () => paused = true, resume: () => paused = false },
 *   mustStop: () => lines.length === 1,
 *   feeding: () => {},
 *   failed: (error) => { throw error; },
 *   drained: () => {},
 * });
 * gate.data(new TextEncoder().encode("a\nb\n"));
 * console.assert(lines.length === 1 && paused && gate.holding);
 * ```
 * @module
 */
import type { LineFramer } from "../../protocol/mod.ts";

/** What an {@linkcode InputGate} works with. */
export interface InputGateParts {
  /** The connection's framer; its line handler calls {@linkcode InputGate.lineDone}. */
  readonly framer: LineFramer;
  /** The socket to pause and resume. */
  readonly socket: { pause(): void; resume(): void };
  /** Whether reading must stop now (asked after each line and before reading on). */
  mustStop(): boolean;
  /** Called when a wake-up comes, before {@linkcode mustStop} is asked. */
  resuming?(): void;
  /** Called around each framing pass: `true` before, `false` after. */
  feeding(active: boolean): void;
  /** The framer threw (a line over the cap, or a fault in a handler). */
  failed(error: unknown): void;
  /** Everything kept has been framed and the socket is reading again. */
  drained(): void;
}

/** Reading with stops, for one connection. */
export class InputGate {
  readonly #parts: InputGateParts;
  /** The part of a chunk not yet framed (a copy), kept while reading is stopped. */
  #held: Uint8Array | null = null;
  #paused = false;
  /** A line's handling stopped reading: the framer's push ends after it. */
  #stopping = false;
  #wakeQueued = false;
  #closed = false;

  /** A gate over `parts`. */
  constructor(parts: InputGateParts) {
    this.#parts = parts;
  }

  /** Whether bytes are kept, waiting to be framed. */
  get holding(): boolean {
    return this.#held !== null;
  }

  /** A chunk arrived from the socket; it may be reused after the call. */
  data(chunk: Uint8Array): void {
    if (this.#closed) return;
    if (this.#held !== null || this.#parts.mustStop()) {
      // Arrived after the socket was paused: keep it behind what is held.
      this.#keep(chunk);
      return;
    }
    this.#feed(chunk, false);
  }

  /** Called by the line handler after each line: stops the push if reading must stop. */
  lineDone(): void {
    if (this.#closed || this.#parts.mustStop()) {
      this.#stopping = true;
      this.#parts.framer.stop();
    }
  }

  /** Reads on, soon, unless something still stops it: what is kept, then the socket. */
  wake = (): void => {
    if (this.#wakeQueued || this.#closed) return;
    this.#wakeQueued = true;
    queueMicrotask(this.#continue);
  };

  /** Drops what is kept and reads nothing more. */
  close(): void {
    this.#closed = true;
    this.#held = null;
  }

  /**
   * Frames `bytes` until a line stops reading; keeps the rest. `owned`:
   * `bytes` is the kept copy already (its rest needs no new copy).
   */
  #feed(bytes: Uint8Array, owned: boolean): void {
    let used: number;
    this.#parts.feeding(true);
    try {
      used = this.#parts.framer.push(bytes);
    } catch (error) {
      this.#parts.failed(error);
      return;
    } finally {
      this.#parts.feeding(false);
    }
    if (this.#closed) return;
    if (used < bytes.length) {
      this.#held = owned ? bytes.subarray(used) : bytes.slice(used);
    }
    if (this.#stopping) {
      this.#stopping = false;
      if (!this.#paused) {
        this.#paused = true;
        this.#parts.socket.pause();
      }
    }
  }

  #keep(chunk: Uint8Array): void {
    const held = this.#held;
    if (held === null) {
      this.#held = chunk.slice();
      return;
    }
    const joined = new Uint8Array(held.length + chunk.length);
    joined.set(held);
    joined.set(chunk, held.length);
    this.#held = joined;
  }

  #continue = (): void => {
    this.#wakeQueued = false;
    if (this.#closed) return;
    this.#parts.resuming?.();
    if (this.#parts.mustStop()) return;
    const held = this.#held;
    if (held !== null) {
      this.#held = null;
      this.#feed(held, true);
      if (this.#closed || this.#held !== null || this.#parts.mustStop()) return;
    }
    if (this.#paused) {
      this.#paused = false;
      this.#parts.socket.resume();
    }
    this.#parts.drained();
  };
}
