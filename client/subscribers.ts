/**
 * The consumers of a client's incoming lines: callbacks, and iterators with
 * a capped buffer that pause reading while one of them is full.
 *
 * @example
 * ```ts
 * import { Subscribers } from "./subscribers.ts";
 * const subs = new Subscribers<string>(100);
 * const seen: string[] = [];
 * subs.listen((line) => seen.push(line));
 * const lines = subs.iterate();
 * subs.deliver("4:1");
 * subs.end();
 * console.assert(seen[0] === "4:1" && (await lines.next()).value === "4:1");
 * ```
 * @module
 */
import { MessageStream } from "./message_stream.ts";

/** Callbacks and iterators over one stream of items. */
export class Subscribers<T> {
  readonly #maxBuffered: number;
  readonly #listeners = new Set<(item: T) => void>();
  readonly #streams = new Set<MessageStream<T>>();
  #ended = false;

  /** `maxBuffered`: items one iterator holds before {@linkcode ready} waits. */
  constructor(maxBuffered: number) {
    this.#maxBuffered = maxBuffered;
  }

  /** Calls `listener` with every item; returns the unsubscriber. */
  listen(listener: (item: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** An iterator over the items delivered from now on, until the end. */
  iterate(): AsyncIterableIterator<T> {
    const stream: MessageStream<T> = new MessageStream(
      this.#maxBuffered,
      () => this.#streams.delete(stream),
    );
    if (this.#ended) stream.end();
    else this.#streams.add(stream);
    return stream;
  }

  /** Hands `item` to every listener and iterator. */
  deliver(item: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(item);
      } catch (error) {
        // A listener's bug is the program's, not the connection's: report
        // it as an uncaught error without stopping delivery to the others.
        reportError(error);
      }
    }
    for (const stream of this.#streams) stream.push(item);
  }

  /** Undefined when every iterator has room; else resolves when one has. */
  ready(): Promise<void> | undefined {
    for (const stream of this.#streams) {
      if (stream.full) return stream.whenSpace();
    }
    return undefined;
  }

  /** No more items: iterators finish what they hold, then end. */
  end(): void {
    this.#ended = true;
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
  }
}
