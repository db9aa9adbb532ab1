/**
 * The server's lines to one resumable session, kept until the client
 * acknowledges them, with every byte counted in the server's outbound budget.
 *
 * @example
 * ```ts
 * import { KeptLines } from "./kept_lines.ts";
 * let budget = 0;
 * const kept = new KeptLines((bytes) => budget += bytes);
 * kept.append(new TextEncoder().encode("5:1:hi\n"));
 * kept.trim(1);
 * console.assert(kept.bytes === 0 && budget === 0);
 * ```
 * @module
 */
import { LineLog } from "../../protocol/mod.ts";

/** A {@linkcode LineLog} whose size is reported to the outbound budget. */
export class KeptLines {
  readonly #log = new LineLog();
  readonly #counted: (bytes: number) => void;

  /** `counted` is told each change in the bytes kept (negative when freed). */
  constructor(counted: (bytes: number) => void) {
    this.#counted = counted;
  }

  /** Bytes not yet acknowledged. */
  get bytes(): number {
    return this.#log.bytes;
  }

  /** Lines acknowledged so far. */
  get acked(): number {
    return this.#log.acked;
  }

  /** Lines kept so far (the number of the last one). */
  get last(): number {
    return this.#log.last;
  }

  /** Keeps a copy of `frame` (whole lines). */
  append(frame: Uint8Array): void {
    this.#log.append(frame);
    this.#counted(frame.length);
  }

  /** The client has `count` lines: those are freed. */
  trim(count: number): void {
    const before = this.#log.bytes;
    this.#log.ackTo(count);
    this.#counted(this.#log.bytes - before);
  }

  /** Hands every line after `count` to `write`, in runs of bytes. */
  replayAfter(count: number, write: (bytes: Uint8Array) => void): void {
    this.#log.replayAfter(count, write);
  }

  /** Frees everything kept. */
  drop(): void {
    this.#counted(-this.#log.bytes);
    this.#log.clear();
  }
}
