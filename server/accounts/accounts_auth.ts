/**
 * `--auth accounts`: logins checked against the store's accounts.
 *
 * A wrong password, an unknown user and a disabled user are refused alike
 * (`0:-1`) and cost alike: an unknown user's password is checked against a
 * dummy hash, a disabled user's against its own. Repeated failures are
 * slowed down by a {@linkcode LoginThrottle}; checks then wait their turn in
 * the hasher's queue (fair between addresses, addresses without recent
 * failures first), and past its bound are refused at once as `busy`.
 *
 * @example
 * ```ts
 * import { AccountsAuthenticator } from "./accounts_auth.ts";
 * import { PasswordHasher } from "./password_hasher.ts";
 * import { openStore } from "../store/mod.ts";
 * await using store = await openStore(":memory:");
 * const hasher = new PasswordHasher({ params: { N: 1024, r: 8, p: 1 } });
 * await store.addAccount({ username: "ada", passwordHash: await hasher.hash("pw") });
 * const auth = new AccountsAuthenticator({ store, hasher });
 * const verdict = await auth.verify({ username: "ada", password: "pw", remoteAddress: "127.0.0.1" });
 * console.assert(verdict.kind === "accepted");
 * ```
 * @module
 */
import type { Authenticator, LoginAttempt, LoginVerdict } from "./auth.ts";
import { createLogger, type Logger } from "../logger.ts";
import { LoginThrottle, type LoginTicket } from "./login_throttle.ts";
import {
  CheckQueueBusyError,
  PasswordHasher,
  PasswordHashFormatError,
} from "./password_hasher.ts";
import { sleep } from "./sleep.ts";
import type { Store } from "../store/mod.ts";

/** Options of {@linkcode AccountsAuthenticator}; only `store` is required. */
export interface AccountsAuthenticatorOptions {
  store: Store;
  /** Verifies hashes; a default {@linkcode PasswordHasher} if not given. */
  hasher?: PasswordHasher;
  /** Failure bookkeeping; the default policy if not given. */
  throttle?: LoginThrottle;
  /** Monotonic milliseconds; `performance.now` by default. */
  now?: () => number;
  /**
   * Waits `ms` (or until `signal` aborts); a timer by default. Tests pass
   * their own to skip real time.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Where throttling and unusable hashes are reported; nowhere by default. */
  logger?: Logger;
}

const REFUSED: LoginVerdict = Object.freeze({ kind: "refused" });
/** `login.busy` is logged at most this often (a spray is mostly refusals). */
const BUSY_LOG_MS = 1_000;
const THROTTLED: LoginVerdict = Object.freeze({
  kind: "throttled",
  text: "too many failed logins for this name or address; try again later",
});
const BUSY: LoginVerdict = Object.freeze({
  kind: "busy",
  text: "the server is checking too many logins; try again in a moment",
});

/** Checks logins against the store. */
export class AccountsAuthenticator implements Authenticator {
  readonly #store: Store;
  readonly #hasher: PasswordHasher;
  readonly #throttle: LoginThrottle;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #logger: Logger;
  #busyRefused = 0;
  #busyLoggedAt = -Infinity;
  /** Logins its throttle refused unchecked or delayed. */
  readonly throttled = { refused: 0, delayed: 0 };

  /** Creates the authenticator; it does not own the store. */
  constructor(options: AccountsAuthenticatorOptions) {
    this.#store = options.store;
    this.#hasher = options.hasher ?? new PasswordHasher();
    this.#throttle = options.throttle ?? new LoginThrottle();
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? sleep;
    this.#logger = options.logger ?? createLogger({ level: "silent" });
  }

  async verify(attempt: LoginAttempt): Promise<LoginVerdict> {
    const { username, remoteAddress } = attempt;
    const ticket = this.#throttle.begin(username, remoteAddress, this.#now());
    if (ticket === null) {
      this.throttled.refused++;
      this.#logger.warn("login.throttled", {
        user: username,
        remote: remoteAddress,
        refused: true,
      });
      return THROTTLED;
    }
    let verdict: LoginVerdict | null = null;
    try {
      if (ticket.waitMs > 0) {
        this.throttled.delayed++;
        this.#logger.info("login.throttled", {
          user: username,
          remote: remoteAddress,
          wait_ms: Math.round(ticket.waitMs),
        });
        await this.#sleep(ticket.waitMs, attempt.signal);
      }
      // A client that has gone (or a server that closes) while the attempt
      // waited costs no check.
      if (attempt.gone?.() || attempt.signal?.aborted) return REFUSED;
      verdict = await this.#check(attempt, ticket);
      if (verdict.kind === "accepted") {
        await this.#store.recordLogin(username, new Date());
      }
    } finally {
      if (verdict === null || verdict.kind === "busy") {
        this.#throttle.cancel(ticket, this.#now());
      } else {
        this.#throttle.end(ticket, verdict.kind === "accepted", this.#now());
      }
    }
    return verdict;
  }

  async #check(
    attempt: LoginAttempt,
    ticket: LoginTicket,
  ): Promise<LoginVerdict> {
    const queueing = {
      lane: attempt.remoteAddress,
      priority: ticket.priority,
      gone: attempt.gone,
    };
    // Refused at once when the queue is full: not even the account is read
    // (a spray is mostly refusals, and they must stay cheap).
    if (this.#hasher.wouldRefuse(queueing)) return this.#busy(attempt);
    const account = await this.#store.findAccount(attempt.username);
    const hash = account?.passwordHash ?? await this.#hasher.dummyHash();
    let matches: boolean;
    try {
      matches = await this.#hasher.verify(attempt.password, hash, queueing);
    } catch (error) {
      if (error instanceof CheckQueueBusyError) {
        return attempt.gone?.() ? REFUSED : this.#busy(attempt);
      }
      if (!(error instanceof PasswordHashFormatError)) throw error;
      // A damaged row refuses its user and says so to the operator.
      this.#logger.error("account.bad_hash", {
        user: attempt.username,
        error: error.message,
      });
      return REFUSED;
    }
    return matches && account !== null && !account.disabled
      ? { kind: "accepted", revision: account.revision }
      : REFUSED;
  }

  /** Counts a busy refusal; logged at most once a second, with the count. */
  #busy(attempt: LoginAttempt): LoginVerdict {
    this.#busyRefused++;
    const now = this.#now();
    if (now - this.#busyLoggedAt >= BUSY_LOG_MS) {
      this.#logger.warn("login.busy", {
        refused: this.#busyRefused,
        queued: this.#hasher.queued,
        user: attempt.username,
        remote: attempt.remoteAddress,
      });
      this.#busyRefused = 0;
      this.#busyLoggedAt = now;
    }
    return BUSY;
  }
}
