/**
 * Slows down repeated login failures per username and per source address,
 * without ever locking anyone out for good.
 *
 * Each key (a username, an address) has a failure score that forgets one
 * failure every `forgiveMs`, plus the attempts on it still being checked.
 * Below `freeFailures` attempts go straight through. From there on each
 * attempt on the key waits `baseDelayMs · 2^(score − freeFailures)`, at most
 * `maxDelayMs`, counted from when the previous delayed attempt on the key is
 * checked: attempts are spaced, so opening many connections gains nothing.
 * An attempt that would wait longer than `maxWaitMs` is refused at once
 * without a check (and is not counted). A success clears its username's
 * score, never its address's: a working account does not buy more guesses
 * at others.
 *
 * The policy is pure: every method takes the current time, so tests run it
 * on a fake clock. The server's copy is in docs/protocol.md ("Failed logins").
 *
 * @example
 * ```ts
 * import { LoginThrottle } from "./login_throttle.ts";
 * const throttle = new LoginThrottle({ user: { freeFailures: 1 } });
 * const first = throttle.begin("ada", "10.0.0.1", 0)!;
 * throttle.end(first, false, 0);
 * console.assert(throttle.begin("ada", "10.0.0.1", 0)?.waitMs === 250);
 * ```
 * @module
 */

/** Limits for one kind of key. */
export interface KeyPolicy {
  /** Failures (and attempts in flight) allowed before attempts wait. */
  readonly freeFailures: number;
}

/** The whole policy; every value has a default. */
export interface LoginThrottlePolicy {
  readonly user: KeyPolicy;
  readonly address: KeyPolicy;
  /** The first delay, doubled for each further failure. */
  readonly baseDelayMs: number;
  /** The most one attempt is delayed on one key. */
  readonly maxDelayMs: number;
  /** One failure is forgotten per this much time. */
  readonly forgiveMs: number;
  /** An attempt that would wait longer is refused unchecked. */
  readonly maxWaitMs: number;
  /** Keys remembered at once; the least recently used go first. */
  readonly maxTrackedKeys: number;
}

/**
 * The defaults: 5 free failures per username, 32 per address (a lab of
 * players behind one NAT logs in at once), then 250 ms doubling to 4 s, one
 * failure forgiven every 30 s, at most 10 s of waiting, 100,000 keys.
 */
export const DEFAULT_LOGIN_THROTTLE: Readonly<LoginThrottlePolicy> = Object
  .freeze({
    user: { freeFailures: 5 },
    address: { freeFailures: 32 },
    baseDelayMs: 250,
    maxDelayMs: 4_000,
    forgiveMs: 30_000,
    maxWaitMs: 10_000,
    maxTrackedKeys: 100_000,
  });

/** Options: any part of the policy. */
export type LoginThrottleOptions =
  & Partial<Omit<LoginThrottlePolicy, "user" | "address">>
  & { user?: Partial<KeyPolicy>; address?: Partial<KeyPolicy> };

interface KeyState {
  /** Recent failures, a whole number. */
  score: number;
  /** When the last failure was forgotten (or the first one counted). */
  at: number;
  /** When the latest delayed attempt on this key gets checked. */
  nextAt: number;
  inFlight: number;
}

/** One admitted attempt: wait `waitMs`, check, then {@linkcode LoginThrottle.end}. */
export interface LoginTicket {
  readonly waitMs: number;
  readonly user: KeyState;
  readonly address: KeyState;
}

/** The failure bookkeeping of one server. */
export class LoginThrottle {
  readonly policy: LoginThrottlePolicy;
  readonly #keys = new Map<string, KeyState>();
  readonly #maxScore: { user: number; address: number };

  /** Creates a throttle with `options` over {@linkcode DEFAULT_LOGIN_THROTTLE}. */
  constructor(options: LoginThrottleOptions = {}) {
    const d = DEFAULT_LOGIN_THROTTLE;
    this.policy = {
      ...d,
      ...options,
      user: { ...d.user, ...options.user },
      address: { ...d.address, ...options.address },
    };
    // The score stops growing one step past the longest delay, so that a
    // flood ended is forgiven in bounded time.
    const steps = Math.ceil(
      Math.log2(this.policy.maxDelayMs / this.policy.baseDelayMs),
    ) + 1;
    this.#maxScore = {
      user: this.policy.user.freeFailures + steps,
      address: this.policy.address.freeFailures + steps,
    };
  }

  /** Keys remembered now. */
  get trackedKeys(): number {
    return this.#keys.size;
  }

  /**
   * Admits an attempt at time `now`: returns how long it must wait before
   * its password is checked, or null when it is refused unchecked.
   */
  begin(username: string, address: string, now: number): LoginTicket | null {
    const user = this.#key(`u:${username}`, now);
    const addr = this.#key(`a:${address}`, now);
    const userDelay = this.#delay(user, this.policy.user.freeFailures);
    const addrDelay = this.#delay(addr, this.policy.address.freeFailures);
    const waitMs = Math.max(
      userDelay === 0 ? 0 : Math.max(0, user.nextAt - now) + userDelay,
      addrDelay === 0 ? 0 : Math.max(0, addr.nextAt - now) + addrDelay,
    );
    if (waitMs > this.policy.maxWaitMs) {
      this.#sweep(now);
      return null;
    }
    for (
      const [state, delay] of [[user, userDelay], [addr, addrDelay]] as const
    ) {
      state.inFlight++;
      if (delay > 0) state.nextAt = now + waitMs;
    }
    this.#sweep(now);
    return { waitMs, user, address: addr };
  }

  /** Records the outcome of an admitted attempt, checked at time `now`. */
  end(ticket: LoginTicket, success: boolean, now: number): void {
    const { user, address } = ticket;
    user.inFlight--;
    address.inFlight--;
    decay(user, now, this.policy.forgiveMs);
    decay(address, now, this.policy.forgiveMs);
    if (success) {
      user.score = 0;
    } else {
      user.score = Math.min(user.score + 1, this.#maxScore.user);
      address.score = Math.min(address.score + 1, this.#maxScore.address);
    }
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
