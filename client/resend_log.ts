/**
 * Our lines to a resumable session, kept until the server acknowledges
 * them (a {@linkcode LineLog}, bounded by `maxResendBytes`); past that bound
 * new lines wait for acknowledgements (bounded by `maxPendingBytes`). After
 * a resume the lines the server lacks are sent again.
 *
 * @example
 * ```ts ignore
 * import { ResendLog } from "./resend_log.ts";
 * const kept = new ResendLog({ maxResendBytes: 1 << 20, maxWaitingBytes: 1 << 20 }, send);
 * kept.start(); // from our 7: on
 * await kept.write(new TextEncoder().encode("3:0:hi\n"));
 * ```
 * @module
 */
import { countsForResume, LineLog } from "../protocol/mod.ts";
import { SendBufferFullError } from "./errors.ts";
import type { LineLink } from "./line_link.ts";

/** The most one re-send write hands the connection. */
const REPLAY_SLICE_BYTES = 64 * 1024;

/** How many bytes may be kept, and may wait for room. */
export interface ResendLimits {
  readonly maxResendBytes: number;
  readonly maxWaitingBytes: number;
}

/** Our lines: kept while the session is resumable, waiting past the bound. */
export class ResendLog {
  readonly #limits: ResendLimits;
  readonly #send: (frame: Uint8Array, kept: boolean) => Promise<void>;
  /** Our lines are numbered and kept (from our `7:` on). */
  #counting = false;
  #log = new LineLog();
  /** Our lines waiting for the log to have room (acknowledgements). */
  readonly #waiting: {
    readonly frame: Uint8Array;
    resolve(): void;
    reject(error: Error): void;
  }[] = [];
  #waitingBytes = 0;
  /**
   * Our lines are being sent again: in slices that may end inside a line,
   * so nothing else (an acknowledgement) may be written in between.
   */
  #resending = false;

  /** `send` writes a line (`kept`: it is in the log). */
  constructor(
    limits: ResendLimits,
    send: (frame: Uint8Array, kept: boolean) => Promise<void>,
  ) {
    this.#limits = limits;
    this.#send = send;
  }

  /** The number of our last line kept. */
  get last(): number {
    return this.#log.last;
  }

  /** True while lines are being sent again. */
  get resending(): boolean {
    return this.#resending;
  }

  /** Lines are kept from now on, in a new log. */
  start(): void {
    this.#counting = true;
    this.#log = new LineLog();
  }

  /** Lines are no longer kept; the log goes. */
  stop(): void {
    this.#counting = false;
    this.#log = new LineLog();
  }

  /**
   * Writes one line: kept when counting, waiting while the log is full.
   *
   * @throws {SendBufferFullError} past `maxResendBytes` kept, or
   *   `maxWaitingBytes` waiting.
   */
  write(frame: Uint8Array): Promise<void> {
    const kept = this.#counting && countsForResume(frame);
    if (!kept) return this.#send(frame, false);
    const limit = this.#limits.maxResendBytes;
    if (frame.length > limit) {
      return Promise.reject(new SendBufferFullError(limit));
    }
    if (this.#waiting.length > 0 || this.#log.bytes + frame.length > limit) {
      // As much is unacknowledged as we keep: wait for acknowledgements.
      const maxWaiting = this.#limits.maxWaitingBytes;
      if (this.#waitingBytes + frame.length > maxWaiting) {
        return Promise.reject(new SendBufferFullError(maxWaiting));
      }
      this.#waitingBytes += frame.length;
      return new Promise((resolve, reject) => {
        this.#waiting.push({ frame, resolve, reject });
      });
    }
    return this.#keep(frame);
  }

  #keep(frame: Uint8Array): Promise<void> {
    this.#log.append(frame);
    return this.#send(frame, true);
  }

  /** Sends the lines waiting for room in the log, as far as it has room. */
  drain(): void {
    const limit = this.#limits.maxResendBytes;
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0]!;
      if (this.#counting && this.#log.bytes + next.frame.length > limit) return;
      this.#waiting.shift();
      this.#waitingBytes -= next.frame.length;
      const sent = this.#counting
        ? this.#keep(next.frame)
        : this.#send(next.frame, false);
      sent.then(next.resolve, next.reject);
    }
  }

  /** The waiting lines fail with `error`. */
  failWaiting(error: Error): void {
    const waiting = this.#waiting.splice(0);
    this.#waitingBytes = 0;
    for (const w of waiting) w.reject(error);
  }

  /** Whether the server may have `count` of our lines (kept, not acknowledged). */
  holds(count: number): boolean {
    return count >= this.#log.acked && count <= this.#log.last;
  }

  /** The server has `count` of our lines: they go, waiting lines take their room. */
  acked(count: number): void {
    // A count we never sent would be the server's bug: keep our lines.
    if (!this.holds(count)) return;
    this.#log.ackTo(count);
    this.drain();
  }

  /** Sends again every line of ours after `count`, then those written meanwhile. */
  async replay(link: LineLink, count: number): Promise<boolean> {
    this.#resending = true;
    try {
      return await this.#replayAll(link, count);
    } finally {
      this.#resending = false;
    }
  }

  async #replayAll(link: LineLink, count: number): Promise<boolean> {
    let sent = count;
    while (sent < this.#log.last) {
      const end = this.#log.last;
      const runs: Uint8Array[] = [];
      this.#log.replayAfter(sent, (bytes) => runs.push(bytes));
      for (const run of runs) {
        for (let i = 0; i < run.length; i += REPLAY_SLICE_BYTES) {
          try {
            await link.write(run.subarray(i, i + REPLAY_SLICE_BYTES));
          } catch {
            return false;
          }
        }
      }
      sent = end;
    }
    return !link.isClosed;
  }
}
