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
 * gate = new InputGate(
 *   framer,
 *   { pause: () => paused = true, resume: () => paused = false },
 *   {
 *     mustStopReading: () => lines.length === 1,
 *     framing: () => {},
 *     framingFailed: (error) => { throw error; },
 *     inputDrained: () => {},
 *   },
 * );
 * gate.data(new TextEncoder().encode("a\nb\n"));
 * console.assert(lines.length === 1 && paused && gate.holding);
 * ```
 * @module
 */
import type { LineFramer } from "../../protocol/mod.ts";

/**
 * The connection an {@linkcode InputGate} reads for. Methods, not options
 * of closures: the connection implements them itself, one object instead of
 * a closure each per connection (idle connections are mostly such objects).
 */
export interface InputGateHost {
  /** Whether reading must stop now (asked after each line and before reading on). */
  mustStopReading(): boolean;
  /** Called when a wake-up comes, before {@linkcode mustStopReading} is asked. */
  readingResumes?(): void;
  /** Called around each framing pass: `true` before, `false` after. */
  framing(active: boolean): void;
  /** The framer threw (a line over the cap, or a fault in a handler). */
  framingFailed(error: unknown): void;
  /** Everything kept has been framed and the socket is reading again. */
  inputDrained(): void;
}

/** Something to wake: a connection's input gate, for who stopped it. */
export interface Waker {
  /** Reads on, soon, unless something still stops it. */
  wake(): void;
}

/** The socket an {@linkcode InputGate} pauses and resumes. */
export interface PausableSocket {
  pause(): void;
  resume(): void;
}

export class InputGate implements Waker {
  readonly #framer: LineFramer;
  readonly #socket: PausableSocket;
  readonly #host: InputGateHost;
  /** The part of a chunk not yet framed (a copy), kept while reading is stopped. */
  #held: Uint8Array | null = null;
  #paused = false;
  /** A line's handling stopped reading: the framer's push ends after it. */
  #stopping = false;
  #wakeQueued = false;
  #closed = false;

  /**
   * A gate feeding `framer` (whose line handler calls
   * {@linkcode lineDone}) from `socket`, for `host`.
   */
  constructor(framer: LineFramer, socket: PausableSocket, host: InputGateHost) {
    this.#framer = framer;
    this.#socket = socket;
    this.#host = host;
  }

  /** Whether bytes are kept, waiting to be framed. */
  get holding(): boolean {
    return this.#held !== null;
  }

  /** A chunk arrived from the socket; it may be reused after the call. */
  data(chunk: Uint8Array): void {
    if (this.#closed) return;
    if (this.#held !== null || this.#host.mustStopReading()) {
      // Arrived after the socket was paused: keep it behind what is held.
      this.#keep(chunk);
      return;
    }
    this.#feed(chunk, false);
  }

  /** Called by the line handler after each line: stops the push if reading must stop. */
  lineDone(): void {
    if (this.#closed || this.#host.mustStopReading()) {
      this.#stopping = true;
      this.#framer.stop();
    }
  }

  /** Reads on, soon, unless something still stops it: what is kept, then the socket. */
  wake(): void {
    if (this.#wakeQueued || this.#closed) return;
    this.#wakeQueued = true;
    // Made per wake-up (after a slow command, a hold, a rate stop), not
    // kept per connection.
    queueMicrotask(() => this.#continue());
  }

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
    this.#host.framing(true);
    try {
      used = this.#framer.push(bytes);
    } catch (error) {
      this.#host.framingFailed(error);
      return;
    } finally {
      this.#host.framing(false);
    }
    if (this.#closed) return;
    if (used < bytes.length) {
      this.#held = owned ? bytes.subarray(used) : bytes.slice(used);
    }
    if (this.#stopping) {
      this.#stopping = false;
      if (!this.#paused) {
        this.#paused = true;
        this.#socket.pause();
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

  #continue(): void {
    this.#wakeQueued = false;
    if (this.#closed) return;
    this.#host.readingResumes?.();
    if (this.#host.mustStopReading()) return;
    const held = this.#held;
    if (held !== null) {
      this.#held = null;
      this.#feed(held, true);
      if (this.#closed || this.#held !== null || this.#host.mustStopReading()) {
        return;
      }
    }
    if (this.#paused) {
      this.#paused = false;
      this.#socket.resume();
    }
    this.#host.inputDrained();
  }
}
