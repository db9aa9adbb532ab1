/**
 * Slows down repeated login failures per username and per source address,
 * without ever locking anyone out for good: a {@linkcode GuessThrottle} on
 * two keys, the longest wait of the two applies. A success clears its
 * username's score, never its address's.
 *
 * It also remembers, for a while, which username logged in from which
 * address: that address's next logins as that user go first in the queue of
 * password checks (see check_queue.ts), even when the address is shared with
 * a password spray.
 *
 * The server's copy of the policy is in docs/protocol.md ("Failed logins").
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
import {
  type DelayPolicy,
  GuessThrottle,
  type GuessTicket,
  type KeyPolicy,
} from "./guess_throttle.ts";

export type { KeyPolicy } from "./guess_throttle.ts";

/** The whole policy; every value has a default. */
export interface LoginThrottlePolicy extends DelayPolicy {
  readonly user: KeyPolicy;
  readonly address: KeyPolicy;
  /** How long a successful login of a user from an address is remembered. */
  readonly successMemoryMs: number;
}

/**
 * The defaults: 5 free failures per username, 32 per address (a lab of
 * players behind one NAT logs in at once), then 250 ms doubling to 4 s, one
 * failure forgiven every 30 s, at most 10 s of waiting, 100,000 keys; a
 * success remembered for a day.
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
    successMemoryMs: 24 * 3600 * 1000,
  });

/** Options: any part of the policy. */
export type LoginThrottleOptions =
  & Partial<Omit<LoginThrottlePolicy, "user" | "address">>
  & { user?: Partial<KeyPolicy>; address?: Partial<KeyPolicy> };

/** One admitted attempt: wait `waitMs`, check, then {@linkcode LoginThrottle.end}. */
export interface LoginTicket {
  readonly waitMs: number;
  /**
   * Whether its check should go first: its address has no recent failures
   * and no other attempt being checked, or this user logged in from this
   * address lately.
   */
  readonly priority: boolean;
  /** @internal */
  readonly guess: GuessTicket<"user" | "address">;
  /** @internal */
  readonly pair: string;
}

/** The failure bookkeeping of one server's logins. */
export class LoginThrottle {
  readonly policy: LoginThrottlePolicy;
  readonly #guesses: GuessThrottle<"user" | "address">;
  /** `user\naddress` -> when it last logged in; oldest first. */
  readonly #successes = new Map<string, number>();

  /** Creates a throttle with `options` over {@linkcode DEFAULT_LOGIN_THROTTLE}. */
  constructor(options: LoginThrottleOptions = {}) {
    const d = DEFAULT_LOGIN_THROTTLE;
    this.policy = {
      ...d,
      ...options,
      user: { ...d.user, ...options.user },
      address: { ...d.address, ...options.address },
    };
    this.#guesses = new GuessThrottle({
      ...this.policy,
      kinds: {
        user: { ...this.policy.user, clearedBySuccess: true },
        address: { ...this.policy.address, clearedBySuccess: false },
      },
      combine: "max",
    });
  }

  /** Keys remembered now (usernames and addresses with failures or attempts). */
  get trackedKeys(): number {
    return this.#guesses.trackedKeys;
  }

  /**
   * Admits an attempt at time `now`: returns how long it must wait before
   * its password is checked, or null when it is refused unchecked.
   */
  begin(username: string, address: string, now: number): LoginTicket | null {
    const guess = this.#guesses.begin(
      [["user", username], ["address", address]],
      now,
    );
    if (guess === null) return null;
    const pair = `${username}\n${address}`;
    const succeeded = this.#successes.get(pair);
    const recent = succeeded !== undefined &&
      now - succeeded < this.policy.successMemoryMs;
    // A burst from one address (a spray's first round has no failures yet)
    // is not a real user's login: only a quiet address goes first.
    const quiet = (guess.scores.address ?? 0) === 0 &&
      (guess.pending.address ?? 0) === 0;
    return { waitMs: guess.waitMs, priority: quiet || recent, guess, pair };
  }

  /** Records the outcome of an admitted attempt, checked at time `now`. */
  end(ticket: LoginTicket, success: boolean, now: number): void {
    this.#guesses.end(ticket.guess, success ? "success" : "failure", now);
    if (!success) return;
    this.#successes.delete(ticket.pair);
    this.#successes.set(ticket.pair, now);
    for (const [pair, at] of this.#successes) {
      const over = this.#successes.size > this.policy.maxTrackedKeys;
      if (!over && now - at < this.policy.successMemoryMs) break;
      this.#successes.delete(pair);
    }
  }

  /** Records an admitted attempt that was not checked after all (busy). */
  cancel(ticket: LoginTicket, now: number): void {
    this.#guesses.end(ticket.guess, "none", now);
  }
}
