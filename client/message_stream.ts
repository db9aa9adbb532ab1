/**
 * An async iterator over incoming messages with a capped buffer. When the
 * buffer is full the client stops reading from the socket until the consumer
 * catches up: nothing is dropped and memory stays bounded (the server cuts a
 * client that stops reading for too long, as it would any slow reader).
 *
 * @example
 * ```ts
 * import { MessageStream } from "./message_stream.ts";
 * const stream = new MessageStream<string>(10, () => {});
 * stream.push("2:7:lobby");
 * stream.end();
 * for await (const line of stream) console.assert(line === "2:7:lobby");
 * ```
 * @module
 */

/** A bounded, single-consumer queue read with `for await`. */
export class MessageStream<T> implements AsyncIterableIterator<T> {
  readonly #max: number;
  readonly #onReturn: () => void;
  readonly #buffer: T[] = [];
  #ended = false;
  #reader: ((result: IteratorResult<T>) => void) | null = null;
  #space: (() => void) | null = null;

  /**
   * @param maxBuffered items held before {@linkcode full} turns true
   * @param onReturn called once when the consumer stops (`break`, `return()`)
   */
  constructor(maxBuffered: number, onReturn: () => void) {
    this.#max = maxBuffered;
    this.#onReturn = onReturn;
  }

  /** True when the buffer holds its maximum: the producer should wait. */
  get full(): boolean {
    return !this.#ended && this.#buffer.length >= this.#max;
  }

  /** Resolves once the buffer has room again (or the stream ended). */
  whenSpace(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => (this.#space = resolve));
  }

  /** Adds an item; ignored after the stream ended. */
  push(item: T): void {
    if (this.#ended) return;
    const reader = this.#reader;
    if (reader !== null) {
      this.#reader = null;
      reader({ value: item, done: false });
    } else {
      this.#buffer.push(item);
    }
  }

  /** No more items: the consumer gets what is buffered, then `done`. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#reader?.({ value: undefined, done: true });
    this.#reader = null;
    this.#release();
  }

  /** The next item, waiting for one if needed. */
  next(): Promise<IteratorResult<T>> {
    if (this.#buffer.length > 0) {
      const value = this.#buffer.shift()!;
      if (this.#buffer.length < this.#max) this.#release();
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#reader = resolve));
  }

  /** Stops the stream early (what `break` in `for await` calls). */
  return(): Promise<IteratorResult<T>> {
    this.#buffer.length = 0;
    if (!this.#ended) {
      this.end();
      this.#onReturn();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  #release(): void {
    const space = this.#space;
    this.#space = null;
    space?.();
  }
}
