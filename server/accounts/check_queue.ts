/**
 * The queue in front of the password hasher: a few checks run at once,
 * the rest wait — boundedly, fairly, and real users first.
 *
 * - **Lanes.** Each waiting check belongs to a lane (the client's address).
 *   Lanes take turns, one check each, so one address with many connections
 *   gets no more of the hasher than an address with one.
 * - **Priority.** A check marked priority (the caller's judgement: an
 *   address with no recent failures) is served before every other, again
 *   lane by lane, and may use `prioritySlots` more than `concurrency`: a
 *   password spray comes from addresses that fail, so a real user's login
 *   waits neither for the spray nor for the spray's check running now.
 * - **Bounds.** At most `maxQueued` checks wait in all, `maxQueuedPerLane`
 *   from one lane. Past that a check is refused at once with
 *   {@linkcode CheckQueueBusyError} — except a priority check when
 *   others wait: the newest waiting check of the longest other lane is
 *   refused instead, and the priority one takes its place.
 *
 * @example
 * ```ts
 * import { CheckQueue } from "./check_queue.ts";
 * const queue = new CheckQueue({ concurrency: 1, maxQueued: 8, maxQueuedPerLane: 4 });
 * const order: string[] = [];
 * const job = (name: string) => () => Promise.resolve(order.push(name));
 * await Promise.all([
 *   queue.run(job("a1"), { lane: "a" }),
 *   queue.run(job("a2"), { lane: "a" }),
 *   queue.run(job("b1"), { lane: "b" }),
 *   queue.run(job("real"), { lane: "c", priority: true }),
 * ]);
 * console.assert(order.join() === "a1,real,a2,b1");
 * ```
 * @module
 */

/** A check refused because too many wait already; try again in a moment. */
export class CheckQueueBusyError extends Error {
  /** Stable code for programs. */
  readonly code = "busy";
  /** Creates the error. */
  constructor(message = "too many password checks are waiting") {
    super(message);
    this.name = "CheckQueueBusyError";
  }
}

/** Options of {@linkcode CheckQueue}. */
export interface CheckQueueOptions {
  /** Checks run at once. */
  readonly concurrency: number;
  /** Checks waiting at most, in all. */
  readonly maxQueued: number;
  /** Checks waiting at most from one lane. */
  readonly maxQueuedPerLane: number;
  /** Checks beyond `concurrency` that only priority checks may run; 1 by default. */
  readonly prioritySlots?: number;
}

/** How one check queues. */
export interface CheckOptions {
  /** Its lane (an address); `""` by default. */
  readonly lane?: string;
  /** Served before every check without it. */
  readonly priority?: boolean;
  /** Never refused for the bounds (rare internal work: new hashes). */
  readonly uncapped?: boolean;
  /**
   * True once whoever asked has gone: when its turn comes the check is
   * dropped (rejected with {@linkcode CheckQueueBusyError}) instead of run.
   */
  readonly gone?: () => boolean;
}

interface Waiting {
  readonly start: () => void;
  readonly refuse: (error: Error) => void;
}

/** Lanes of waiting checks; a Map's order is the order of turns. */
class Lanes {
  readonly #lanes = new Map<string, Waiting[]>();
  size = 0;

  count(lane: string): number {
    return this.#lanes.get(lane)?.length ?? 0;
  }

  push(lane: string, entry: Waiting): void {
    let queue = this.#lanes.get(lane);
    if (queue === undefined) this.#lanes.set(lane, queue = []);
    queue.push(entry);
    this.size++;
  }

  /** The first check of the lane whose turn it is; that lane goes last. */
  next(): Waiting | undefined {
    for (const [lane, queue] of this.#lanes) {
      const entry = queue.shift()!;
      this.#lanes.delete(lane);
      if (queue.length > 0) this.#lanes.set(lane, queue);
      this.size--;
      return entry;
    }
    return undefined;
  }

  /** Takes out the newest check of the longest lane. */
  evict(): Waiting | undefined {
    let longest: [string, Waiting[]] | null = null;
    for (const entry of this.#lanes) {
      if (longest === null || entry[1].length > longest[1].length) {
        longest = entry;
      }
    }
    if (longest === null) return undefined;
    const [lane, queue] = longest;
    const entry = queue.pop()!;
    if (queue.length === 0) this.#lanes.delete(lane);
    this.size--;
    return entry;
  }
}

/** A bounded, fair, two-class queue of checks. */
export class CheckQueue {
  readonly options: CheckQueueOptions;
  #running = 0;
  readonly #priority = new Lanes();
  readonly #normal = new Lanes();
  #idle: PromiseWithResolvers<void> | null = null;
  readonly #prioritySlots: number;

  /**
   * Creates the queue; every option must be a positive whole number
   * (`prioritySlots` may be 0).
   */
  constructor(options: CheckQueueOptions) {
    for (const [name, value] of Object.entries(options)) {
      const least = name === "prioritySlots" ? 0 : 1;
      if (!Number.isSafeInteger(value) || value < least) {
        throw new RangeError(`${name} must be a whole number from ${least}`);
      }
    }
    this.options = options;
    this.#prioritySlots = options.prioritySlots ?? 1;
  }

  /** Checks running now. */
  get running(): number {
    return this.#running;
  }

  /** Checks waiting now. */
  get queued(): number {
    return this.#priority.size + this.#normal.size;
  }

  /** Resolves once no check runs or waits. */
  idle(): Promise<void> {
    if (this.#running === 0 && this.queued === 0) return Promise.resolve();
    this.#idle ??= Promise.withResolvers<void>();
    return this.#idle.promise;
  }

  /**
   * Whether a check with `options` would be refused right now (the bounds
   * are reached): lets a caller skip the work that leads up to it.
   */
  wouldRefuse(options: CheckOptions = {}): boolean {
    if (options.uncapped) return false;
    const lane = options.lane ?? "";
    const priority = options.priority ?? false;
    const slots = this.options.concurrency +
      (priority ? this.#prioritySlots : 0);
    const ahead = priority ? this.#priority.size : this.queued;
    if (this.#running < slots && ahead === 0) return false;
    const mine = this.#priority.count(lane) + this.#normal.count(lane);
    if (mine >= this.options.maxQueuedPerLane) return true;
    return this.queued >= this.options.maxQueued &&
      !(priority && this.#normal.size > 0);
  }

  /**
   * Runs `job` when its turn comes.
   *
   * @throws {CheckQueueBusyError} (the promise rejects) when the queue is
   * full, or when a priority check took this one's place.
   */
  async run<T>(job: () => Promise<T>, options: CheckOptions = {}): Promise<T> {
    await this.#turn(options);
    try {
      if (options.gone?.()) {
        throw new CheckQueueBusyError("whoever asked has gone");
      }
      return await job();
    } finally {
      this.#running--;
      this.#pump();
    }
  }

  #turn(options: CheckOptions): Promise<void> {
    const lane = options.lane ?? "";
    const priority = options.priority ?? false;
    const slots = this.options.concurrency +
      (priority ? this.#prioritySlots : 0);
    const ahead = priority ? this.#priority.size : this.queued;
    if (this.#running < slots && ahead === 0) {
      this.#running++;
      return Promise.resolve();
    }
    if (!options.uncapped) {
      const mine = this.#priority.count(lane) + this.#normal.count(lane);
      if (mine >= this.options.maxQueuedPerLane) {
        return Promise.reject(new CheckQueueBusyError());
      }
      if (this.queued >= this.options.maxQueued) {
        const evicted = priority ? this.#normal.evict() : undefined;
        if (evicted === undefined) {
          return Promise.reject(new CheckQueueBusyError());
        }
        evicted.refuse(new CheckQueueBusyError());
      }
    }
    return new Promise((start, refuse) => {
      (priority ? this.#priority : this.#normal).push(lane, { start, refuse });
    });
  }

  #pump(): void {
    const concurrency = this.options.concurrency;
    while (this.#running < concurrency + this.#prioritySlots) {
      const next = this.#priority.next() ??
        (this.#running < concurrency ? this.#normal.next() : undefined);
      if (next === undefined) break;
      this.#running++;
      next.start();
    }
    if (this.#running === 0 && this.queued === 0 && this.#idle !== null) {
      this.#idle.resolve();
      this.#idle = null;
    }
  }
}
