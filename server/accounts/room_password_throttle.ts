/**
 * Slows down guessing room passwords, as logins are slowed down (see
 * {@linkcode GuessThrottle}): a wrong password given to join a room that has
 * one (`2:room:guess`), and a room listing with a password that opens no
 * private room (`1:guess`), count as failures on the session, its address,
 * and the room — or, for a listing, on all listings of the server (a listing
 * tries every private room at once). Same delays as logins: free failures,
 * then 250 ms doubling to 4 s, one failure forgiven every 30 s, at most
 * 10 s of waiting, never a lockout.
 *
 * Stricter than logins in one way: the waits of the keys add up instead of
 * the longest one applying. A session guessing one room waits for its own
 * failures and for the room's, so guessing a room password from one
 * session is slower than guessing one account's password — a room's
 * password is often a short shared code.
 *
 * @example
 * ```ts
 * import { RoomPasswordThrottle } from "./room_password_throttle.ts";
 * const throttle = new RoomPasswordThrottle({ session: { freeFailures: 1 }, room: { freeFailures: 1 } });
 * const first = throttle.beginJoin(7, "10.0.0.1", "vault", 0)!;
 * throttle.end(first, "failure", 0);
 * console.assert(throttle.beginJoin(7, "10.0.0.1", "vault", 0)?.waitMs === 500);
 * ```
 * @module
 */
import {
  type DelayPolicy,
  type GuessOutcome,
  GuessThrottle,
  type GuessTicket,
  type KeyPolicy,
} from "./guess_throttle.ts";
import { DEFAULT_LOGIN_THROTTLE } from "./login_throttle.ts";

/** The kinds of key a room-password guess counts on. */
export type RoomGuessKey = "session" | "address" | "room" | "listing";

/** The whole policy; every value has a default. */
export interface RoomPasswordThrottlePolicy extends DelayPolicy {
  readonly session: KeyPolicy;
  readonly address: KeyPolicy;
  readonly room: KeyPolicy;
  readonly listing: KeyPolicy;
}

/**
 * The defaults: the login delays, 5 free failures per session, per room
 * and for all listings, 32 per address.
 */
export const DEFAULT_ROOM_PASSWORD_THROTTLE: Readonly<
  RoomPasswordThrottlePolicy
> = Object.freeze({
  baseDelayMs: DEFAULT_LOGIN_THROTTLE.baseDelayMs,
  maxDelayMs: DEFAULT_LOGIN_THROTTLE.maxDelayMs,
  forgiveMs: DEFAULT_LOGIN_THROTTLE.forgiveMs,
  maxWaitMs: DEFAULT_LOGIN_THROTTLE.maxWaitMs,
  maxTrackedKeys: DEFAULT_LOGIN_THROTTLE.maxTrackedKeys,
  session: { freeFailures: 5 },
  address: { freeFailures: 32 },
  room: { freeFailures: 5 },
  listing: { freeFailures: 5 },
});

/** Options: any part of the policy. */
export type RoomPasswordThrottleOptions =
  & Partial<DelayPolicy>
  & { readonly [K in RoomGuessKey]?: Partial<KeyPolicy> };

/** One admitted guess: wait `waitMs`, check, then {@linkcode RoomPasswordThrottle.end}. */
export type RoomGuessTicket = GuessTicket<RoomGuessKey>;

/** The room-password failure bookkeeping of one server. */
export class RoomPasswordThrottle {
  readonly policy: RoomPasswordThrottlePolicy;
  readonly #guesses: GuessThrottle<RoomGuessKey>;

  /** Creates a throttle with `options` over {@linkcode DEFAULT_ROOM_PASSWORD_THROTTLE}. */
  constructor(options: RoomPasswordThrottleOptions = {}) {
    const d = DEFAULT_ROOM_PASSWORD_THROTTLE;
    this.policy = {
      ...d,
      ...options,
      session: { ...d.session, ...options.session },
      address: { ...d.address, ...options.address },
      room: { ...d.room, ...options.room },
      listing: { ...d.listing, ...options.listing },
    };
    const { session, address, room, listing } = this.policy;
    this.#guesses = new GuessThrottle({
      ...this.policy,
      kinds: {
        session,
        address,
        // Whoever knows a room's password may join it: a success resets the
        // room (as a login resets its username). A listing that reveals one
        // room proves nothing about the others, so it resets nothing.
        room: { ...room, clearedBySuccess: true },
        listing: { ...listing, clearedBySuccess: false },
      },
      combine: "sum",
    });
  }

  /** Keys remembered now. */
  get trackedKeys(): number {
    return this.#guesses.trackedKeys;
  }

  /** Admits a join of `room` with a password; null: refused unchecked. */
  beginJoin(
    session: number,
    address: string,
    room: string,
    now: number,
  ): RoomGuessTicket | null {
    return this.#guesses.begin([
      ["session", String(session)],
      ["address", address],
      ["room", room],
    ], now);
  }

  /** Admits a room listing with a password; null: refused unchecked. */
  beginListing(
    session: number,
    address: string,
    now: number,
  ): RoomGuessTicket | null {
    return this.#guesses.begin([
      ["session", String(session)],
      ["address", address],
      ["listing", ""],
    ], now);
  }

  /**
   * Records what an admitted guess came to at `now`: `failure` (a wrong
   * password; a listing that revealed nothing), `success`, or `none` (not
   * checked after all: the room filled up, the session ended).
   */
  end(ticket: RoomGuessTicket, outcome: GuessOutcome, now: number): void {
    this.#guesses.end(ticket, outcome, now);
  }
}
