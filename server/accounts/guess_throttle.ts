/**
 * Slows down repeated wrong guesses of a secret — a login's password, a
 * room's password — counted on several keys at once (a username, an
 * address, a session, a room), without ever locking anyone out for good.
 *
 * Each key has a failure score that forgets one failure every `forgiveMs`,
 * plus the attempts on it still being checked. Below its kind's
 * `freeFailures`, a key adds no wait. From there on it adds
 * `baseDelayMs · 2^(score − freeFailures)`, at most `maxDelayMs`, counted
 * from when the previous delayed attempt on the key is checked: attempts are
 * spaced, so opening many connections gains nothing. The keys' waits are
 * combined by taking the longest (`max`) or by adding them up (`sum`). An
 * attempt that would wait longer than `maxWaitMs` is refused at once,
 * unchecked, and is not counted. A success clears the score of the kinds
 * marked `clearedBySuccess` (a login's username), never the others (a
 * working account does not buy guesses at others).
 *
 * The policy is pure: every method takes the current time, so tests run it
 * on a fake clock. {@linkcode LoginThrottle} and
 * {@linkcode RoomPasswordThrottle} are its two uses.
 *
 * @example
 * ```ts
 * import { GuessThrottle } from "./guess_throttle.ts";
 * const throttle = new GuessThrottle({
 *   kinds: { user: { freeFailures: 1 } },
 *   baseDelayMs: 250, maxDelayMs: 4000, forgiveMs: 30000, maxWaitMs: 10000,
 *   maxTrackedKeys: 1000, combine: "max",
 * });
 * const first = throttle.begin([["user", "ada"]], 0)!;
 * throttle.end(first, "failure", 0);
 * console.assert(throttle.begin([["user", "ada"]], 0)?.waitMs === 250);
 * ```
 * @module
 */

/** Limits for one kind of key. */
export interface KeyPolicy {
  /** Failures (and attempts in flight) allowed before attempts wait. */
  readonly freeFailures: number;
  /** A success sets the key's score back to zero. */
  readonly clearedBySuccess?: boolean;
}

/** Every number of the delays, shared by all kinds of key. */
export interface DelayPolicy {
  /** The first delay, doubled for each further failure. */
  readonly baseDelayMs: number;
  /** The most one key delays one attempt. */
  readonly maxDelayMs: number;
  /** One failure is forgotten per this much time. */
  readonly forgiveMs: number;
  /** An attempt that would wait longer is refused unchecked. */
  readonly maxWaitMs: number;
  /** Keys remembered at once; the least recently used go first. */
  readonly maxTrackedKeys: number;
}

/** A whole policy: the kinds of key, the delays, how keys combine. */
export interface GuessThrottlePolicy<K extends string> extends DelayPolicy {
  readonly kinds: Readonly<Record<K, KeyPolicy>>;
  /** `max`: the longest of the keys' waits; `sum`: all of them, added. */
  readonly combine: "max" | "sum";
}

/** What an attempt came to. */
export type GuessOutcome = "success" | "failure" | "none";

interface KeyState {
  /** Recent failures, a whole number. */
  score: number;
  /** When the last failure was forgotten (or the first one counted). */
  at: number;
  /** When the latest delayed attempt on this key gets checked. */
  nextAt: number;
  inFlight: number;
}

/** One admitted attempt: wait `waitMs`, check, then {@linkcode GuessThrottle.end}. */
export interface GuessTicket<K extends string = string> {
  readonly waitMs: number;
  /** The failure score of each key before this attempt, by kind (the highest). */
  readonly scores: Readonly<Partial<Record<K, number>>>;
  /** Other attempts in flight on each key, by kind (the most). */
  readonly pending: Readonly<Partial<Record<K, number>>>;
  /** @internal */
  readonly keys: readonly (readonly [K, KeyState])[];
}

/** The failure bookkeeping of one server for one kind of secret. */
export class GuessThrottle<K extends string> {
  readonly policy: GuessThrottlePolicy<K>;
  readonly #keys = new Map<string, KeyState>();
  readonly #steps: number;

  /** Creates a throttle with `policy`. */
  constructor(policy: GuessThrottlePolicy<K>) {
    this.policy = policy;
    // The score stops growing one step past the longest delay, so that a
    // flood ended is forgiven in bounded time.
    this.#steps = Math.ceil(Math.log2(policy.maxDelayMs / policy.baseDelayMs)) +
      1;
  }

  /** Keys remembered now. */
  get trackedKeys(): number {
    return this.#keys.size;
  }

  /**
   * Admits an attempt on `keys` (kind and name) at time `now`: returns how
   * long it must wait before it is checked, or null when it is refused
   * unchecked.
   */
  begin(
    keys: readonly (readonly [K, string])[],
    now: number,
  ): GuessTicket<K> | null {
    const states = keys.map(([kind, name]) =>
      [kind, this.#key(`${kind}:${name}`, now)] as const
    );
    const delays = states.map(([kind, state]) =>
      this.#delay(state, this.policy.kinds[kind].freeFailures)
    );
    let waitMs = 0;
    const scores: Partial<Record<K, number>> = {};
    const pending: Partial<Record<K, number>> = {};
    for (let i = 0; i < states.length; i++) {
      const [kind, state] = states[i]!;
      scores[kind] = Math.max(scores[kind] ?? 0, state.score);
      pending[kind] = Math.max(pending[kind] ?? 0, state.inFlight);
      const delay = delays[i]!;
      const wait = delay === 0 ? 0 : Math.max(0, state.nextAt - now) + delay;
      waitMs = this.policy.combine === "sum"
        ? waitMs + wait
        : Math.max(waitMs, wait);
    }
    if (waitMs > this.policy.maxWaitMs) {
      this.#sweep(now);
      return null;
    }
    for (let i = 0; i < states.length; i++) {
      const state = states[i]![1];
      state.inFlight++;
      if (delays[i]! > 0) state.nextAt = now + waitMs;
    }
    this.#sweep(now);
    return { waitMs, scores, pending, keys: states };
  }

  /** Records the outcome of an admitted attempt, checked at time `now`. */
  end(ticket: GuessTicket<K>, outcome: GuessOutcome, now: number): void {
    for (const [kind, state] of ticket.keys) {
      state.inFlight--;
      decay(state, now, this.policy.forgiveMs);
      const policy = this.policy.kinds[kind];
      if (outcome === "failure") {
        state.score = Math.min(
          state.score + 1,
          policy.freeFailures + this.#steps,
        );
      } else if (outcome === "success" && policy.clearedBySuccess) {
        state.score = 0;
      }
    }
  }

  /** The failure score of one key now (0 for a key not remembered). */
  score(kind: K, name: string, now: number): number {
    const state = this.#keys.get(`${kind}:${name}`);
    if (state === undefined) return 0;
    decay(state, now, this.policy.forgiveMs);
    return state.score;
  }

  #delay(state: KeyState, free: number): number {
    const pressure = state.score + state.inFlight;
    if (pressure < free) return 0;
    return Math.min(
      this.policy.baseDelayMs * 2 ** (pressure - free),
      this.policy.maxDelayMs,
    );
  }

  /** The key's state brought up to `now`, moved to most recently used. */
  #key(name: string, now: number): KeyState {
    let state = this.#keys.get(name);
    if (state === undefined) {
      state = { score: 0, at: now, nextAt: now, inFlight: 0 };
    } else {
      this.#keys.delete(name);
      decay(state, now, this.policy.forgiveMs);
    }
    this.#keys.set(name, state);
    return state;
  }

  /**
   * Forgets keys with nothing left to remember, oldest first; past the cap,
   * the least recently used go whatever they hold: memory stays bounded.
   */
  #sweep(now: number): void {
    for (const [name, state] of this.#keys) {
      const over = this.#keys.size > this.policy.maxTrackedKeys;
      decay(state, now, this.policy.forgiveMs);
      const idle = state.score === 0 && state.inFlight === 0 &&
        state.nextAt <= now;
      if (!idle && !over) break;
      this.#keys.delete(name);
    }
  }
}

/** Forgets one failure per whole `forgiveMs` since the last forgetting. */
function decay(state: KeyState, now: number, forgiveMs: number): void {
  if (state.score === 0) {
    state.at = Math.max(state.at, now);
    return;
  }
  const periods = Math.floor((now - state.at) / forgiveMs);
  if (periods > 0) {
    state.score = Math.max(0, state.score - periods);
    state.at += periods * forgiveMs;
  }
}
