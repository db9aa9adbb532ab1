/**
 * One connection's rate limits: lines per second (with a burst, and a
 * disconnect for floods) and login attempts per minute. Decides, logs each
 * limit hit once per window, and builds the error lines; the connection acts.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "../../protocol/mod.ts";
 * import { createLogger } from "../logger.ts";
 * import { Verdict } from "./flood_guard.ts";
 * import { RateLimits } from "./rate_limits.ts";
 * const limits = { ...DEFAULT_LIMITS, maxMessagesPerSecond: 1, messageBurst: 1 };
 * const rate = new RateLimits(limits, createLogger({ level: "silent" }), { conn: 1 }, 0);
 * console.assert(rate.line(0) === Verdict.Accept);
 * console.assert(rate.line(0) === Verdict.Refuse);
 * ```
 * @module
 */
import { ErrorCode, type Limits } from "../../protocol/mod.ts";
import { FloodGuard, REFUSAL_WINDOW_MS, Verdict } from "./flood_guard.ts";
import { errorFrame } from "../handlers/refuse.ts";
import type { LogFields, Logger } from "../logger.ts";
import { TokenBucket } from "./token_bucket.ts";

/** A connection over its login rate is logged at most this often. */
const LOGIN_LOG_INTERVAL_MS = 60_000;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;

/** The rate limits of one connection. */
export class RateLimits {
  readonly #limits: Limits;
  readonly #logger: Logger;
  readonly #who: LogFields;
  readonly #flood: FloodGuard;
  readonly #logins: TokenBucket;
  #loginLoggedAt = -Infinity;

  /**
   * @param who fields naming the connection in log lines (`conn`, `remote`)
   * @param now the clock in milliseconds; both buckets start full
   */
  constructor(limits: Limits, logger: Logger, who: LogFields, now: number) {
    this.#limits = limits;
    this.#logger = logger;
    this.#who = who;
    this.#flood = new FloodGuard({
      rate: limits.maxMessagesPerSecond,
      burst: limits.messageBurst,
      maxRefusals: limits.maxRateRefusals,
    }, now);
    this.#logins = new TokenBucket(
      limits.maxLoginsPerMinute / 60,
      limits.maxLoginsPerMinute,
      now,
    );
  }

  /** Judges one line arriving at `now`: O(1), no allocation when accepted. */
  line(now: number): Verdict {
    return this.#flood.check(now);
  }

  /**
   * The error line for a line `line` that {@linkcode line} did not accept;
   * logs `limit.rate` on the first refusal of a window, `limit.flood` on
   * the one that disconnects.
   */
  refusal(line: Uint8Array, verdict: Verdict): Uint8Array {
    const command = commandDigit(line);
    if (verdict === Verdict.Disconnect) {
      this.#logger.warn("limit.flood", {
        ...this.#who,
        refused: this.#flood.refusals,
        window_ms: REFUSAL_WINDOW_MS,
      });
      return errorFrame(command, ErrorCode.RateLimited, "flooding; closing");
    }
    const { maxMessagesPerSecond, messageBurst } = this.#limits;
    if (this.#flood.firstRefusalInWindow) {
      this.#logger.warn("limit.rate", {
        ...this.#who,
        rate: maxMessagesPerSecond,
        burst: messageBurst,
      });
    }
    return errorFrame(
      command,
      ErrorCode.RateLimited,
      `over ${maxMessagesPerSecond} lines per second; retry in ${this.#flood.waitMs} ms`,
    );
  }

  /** Takes a login attempt at `now`; false when over the login rate. */
  login(now: number): boolean {
    return this.#logins.take(now);
  }

  /** The error line for a refused login; logs `limit.logins` at most once a minute. */
  loginRefusal(now: number): Uint8Array {
    const perMinute = this.#limits.maxLoginsPerMinute;
    if (now - this.#loginLoggedAt >= LOGIN_LOG_INTERVAL_MS) {
      this.#loginLoggedAt = now;
      this.#logger.warn("limit.logins", {
        ...this.#who,
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

/** The refused line's command for the error line: its leading digit, or `?`. */
function commandDigit(line: Uint8Array): string {
  const first = line[0];
  return first !== undefined && first >= ZERO && first <= NINE &&
      (line.length === 1 || line[1] === COLON)
    ? String.fromCharCode(first)
    : "?";
}
