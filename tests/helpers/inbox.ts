/**
 * What a test client has received and not yet read: byte items (lines or
 * datagrams) in arrival order, read with deadlines, never with sleeps.
 */

const decoder = new TextDecoder();

/** Default wait for an expected item. Generous: CI machines are slow. */
export const DEADLINE_MS = 5_000;

/** Raised when an expected event does not happen in time. */
export class DeadlineError extends Error {
  constructor(what: string, ms: number, seen: readonly string[]) {
    super(
      `no ${what} within ${ms} ms; received so far: ${
        JSON.stringify(seen.slice(-20))
      }`,
    );
    this.name = "DeadlineError";
  }
}

/** A queue of received items that readers await with a deadline. */
export class Inbox {
  readonly #queue: Uint8Array[] = [];
  readonly #history: string[] = [];
  #waiter: (() => void) | null = null;
  #ended = false;

  /** @param noun what an item is called in errors ("line", "datagram") */
  constructor(readonly noun: string) {}

  /** Every item received so far, as text. */
  get history(): readonly string[] {
    return this.#history;
  }

  /** True once the source has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Adds an item (the inbox keeps `item` itself: pass a copy). */
  push(item: Uint8Array): void {
    this.#queue.push(item);
    this.#history.push(decoder.decode(item));
    this.#wake();
  }

  /** Marks the end of the source: readers waiting for more fail at once. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** The next item as bytes, waiting up to `ms`. */
  async nextBytes(ms = DEADLINE_MS): Promise<Uint8Array> {
    const deadline = Date.now() + ms;
    while (this.#queue.length === 0) {
      if (this.#ended) {
        throw new DeadlineError(
          `${this.noun} before the end`,
          ms,
          this.#history,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new DeadlineError(this.noun, ms, this.#history);
      await this.#wait(left);
    }
    return this.#queue.shift()!;
  }

  /** The next item as text. */
  async next(ms = DEADLINE_MS): Promise<string> {
    return decoder.decode(await this.nextBytes(ms));
  }

  /** The next `n` items as text. */
  async take(n: number, ms = DEADLINE_MS): Promise<string[]> {
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(await this.next(ms));
    return items;
  }

  /** Resolves once the source ends, dropping unread items; fails after `ms`. */
  async endOf(ms = DEADLINE_MS): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.#ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new DeadlineError("end", ms, this.#history);
      await this.#wait(left);
      this.#queue.length = 0;
    }
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        resolve();
      }, ms);
      this.#waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
