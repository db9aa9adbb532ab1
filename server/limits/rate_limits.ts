/**
 * One connection's rate limits: lines per second (a token bucket whose
 * excess is delayed, never refused) and login attempts per minute (refused
 * past the limit). Decides and logs each limit hit once per window; the
 * connection acts.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "../../protocol/mod.ts";
 * import { createLogger } from "../logger.ts";
 * import { RateLimits } from "./rate_limits.ts";
 * const limits = { ...DEFAULT_LIMITS, maxMessagesPerSecond: 100, messageBurst: 1 };
 * const who = { serial: 1, remote: "127.0.0.1:5000" };
 * const rate = new RateLimits(limits, createLogger({ level: "silent" }), who, 0);
 * rate.line(0);
 * console.assert(rate.lineWaitMs(0) === 10); // the next line waits 10 ms
 * console.assert(rate.lineWaitMs(10) === 0);
 * ```
 * @module
 */
import { ErrorCode, type Limits } from "../../protocol/mod.ts";
import { errorFrame } from "../handlers/refuse.ts";
import type { Logger } from "../logger.ts";
import { TokenBucket } from "./token_bucket.ts";

/** A connection over its login rate is logged at most this often. */
const LOGIN_LOG_INTERVAL_MS = 60_000;
/** A connection delayed for its line rate is logged at most this often. */
export const RATE_LOG_INTERVAL_MS = 10_000;
/**
 * A delayed connection resumes once this many milliseconds' worth of tokens
 * are there (at least one line): about 100 resumptions a second at most,
 * rather than a timer per line.
 */
const RESUME_BATCH_MS = 10;

/** The connection a {@linkcode RateLimits} names in its log lines. */
export interface RateSubject {
  /** Logged as `conn`. */
  readonly serial: number;
  /** Logged as `remote`: read when a line is logged, not kept. */
  readonly remote: string;
}

/** The rate limits of one connection. */
export class RateLimits {
  readonly #limits: Limits;
  readonly #logger: Logger;
  readonly #who: RateSubject;
  readonly #lines: TokenBucket;
  readonly #resumeBatch: number;
  readonly #logins: TokenBucket;
  // Null until the first log line: a number here would be a boxed double
  // per connection (-Infinity is not a small integer), and most never log.
  #loginLoggedAt: number | null = null;
  #rateLoggedAt: number | null = null;
  /** Times this connection was delayed for its line rate. */
  delays = 0;

  /**
   * @param who the connection its log lines name (`conn`, `remote`)
   * @param now the clock in milliseconds; both buckets start full
   */
  constructor(limits: Limits, logger: Logger, who: RateSubject, now: number) {
    this.#limits = limits;
    this.#logger = logger;
    this.#who = who;
    const rate = limits.maxMessagesPerSecond;
    this.#lines = new TokenBucket(rate, limits.messageBurst, now);
    this.#resumeBatch = Math.max(1, Math.ceil(rate * RESUME_BATCH_MS / 1000));
    this.#logins = new TokenBucket(
      limits.maxLoginsPerMinute / 60,
      limits.maxLoginsPerMinute,
      now,
    );
  }

  /**
   * Counts one line arriving at `now`. The connection reads a line only
   * when {@linkcode lineWaitMs} said 0, so there is always a token: O(1),
   * no allocation.
   */
  line(now: number): void {
    this.#lines.take(now);
  }

  /** Whether the next line may be read at `now` (a token is there). */
  mayRead(now: number): boolean {
    return this.#lines.has(now);
  }

  /**
   * How long the connection must stop reading before its next lines, as of
   * `now`: 0 when a line may be read now. Logs `limit.rate` on the first
   * delay of a window.
   */
  lineWaitMs(now: number): number {
    if (this.#lines.has(now)) return 0;
    this.delays++;
    const rateLogged = this.#rateLoggedAt;
    if (rateLogged === null || now - rateLogged >= RATE_LOG_INTERVAL_MS) {
      this.#rateLoggedAt = now;
      this.#logger.info("limit.rate", {
        conn: this.#who.serial,
        remote: this.#who.remote,
        rate: this.#limits.maxMessagesPerSecond,
        burst: this.#limits.messageBurst,
      });
    }
    return Math.max(1, this.#lines.waitFor(this.#resumeBatch, now));
  }

  /** Takes a login attempt at `now`; false when over the login rate. */
  login(now: number): boolean {
    return this.#logins.take(now);
  }

  /** The error line for a refused login; logs `limit.logins` at most once a minute. */
  loginRefusal(now: number): Uint8Array {
    const perMinute = this.#limits.maxLoginsPerMinute;
    const loginLogged = this.#loginLoggedAt;
    if (loginLogged === null || now - loginLogged >= LOGIN_LOG_INTERVAL_MS) {
      this.#loginLoggedAt = now;
      this.#logger.warn("limit.logins", {
        conn: this.#who.serial,
        remote: this.#who.remote,
        per_minute: perMinute,
      });
    }
    const seconds = Math.ceil(this.#logins.waitMs / 1000);
    return errorFrame(
      "0",
      ErrorCode.RateLimited,
      `at most ${perMinute} login attempts per minute; retry in ${seconds} s`,
    );
  }
}
