/**
 * `--auth accounts`: logins checked against the store's accounts.
 *
 * A wrong password, an unknown user and a disabled user are refused alike
 * (`0:-1`) and cost alike: an unknown user's password is checked against a
 * dummy hash, a disabled user's against its own. Repeated failures are
 * slowed down by a {@linkcode LoginThrottle}.
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
 * console.assert(await auth.verify({ username: "ada", password: "pw", remoteAddress: "127.0.0.1" }));
 * ```
 * @module
 */
import type { Authenticator, LoginAttempt } from "./auth.ts";
import { createLogger, type Logger } from "../logger.ts";
import { LoginThrottle } from "./login_throttle.ts";
import { PasswordHasher, PasswordHashFormatError } from "./password_hasher.ts";
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
  /** Waits `ms`; a timer by default. Tests pass their own to skip real time. */
  sleep?: (ms: number) => Promise<void>;
  /** Where throttling and unusable hashes are reported; nowhere by default. */
  logger?: Logger;
}

/** Checks logins against the store. */
export class AccountsAuthenticator implements Authenticator {
  readonly #store: Store;
  readonly #hasher: PasswordHasher;
  readonly #throttle: LoginThrottle;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #logger: Logger;
  /** Logins its throttle refused unchecked or delayed. */
  readonly throttled = { refused: 0, delayed: 0 };

  /** Creates the authenticator; it does not own the store. */
  constructor(options: AccountsAuthenticatorOptions) {
    this.#store = options.store;
    this.#hasher = options.hasher ?? new PasswordHasher();
    this.#throttle = options.throttle ?? new LoginThrottle();
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ??
      ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#logger = options.logger ?? createLogger({ level: "silent" });
  }

  async verify(attempt: LoginAttempt): Promise<boolean> {
    const { username, remoteAddress } = attempt;
    const ticket = this.#throttle.begin(username, remoteAddress, this.#now());
    if (ticket === null) {
      this.throttled.refused++;
      this.#logger.warn("login.throttled", {
        user: username,
        remote: remoteAddress,
        refused: true,
      });
      return false;
    }
    let accepted = false;
    try {
      if (ticket.waitMs > 0) {
        this.throttled.delayed++;
        this.#logger.info("login.throttled", {
          user: username,
          remote: remoteAddress,
          wait_ms: Math.round(ticket.waitMs),
        });
        await this.#sleep(ticket.waitMs);
      }
      accepted = await this.#check(attempt);
      if (accepted) await this.#store.recordLogin(username, new Date());
    } finally {
      this.#throttle.end(ticket, accepted, this.#now());
    }
    return accepted;
  }

  async #check(attempt: LoginAttempt): Promise<boolean> {
    const account = await this.#store.findAccount(attempt.username);
    const hash = account?.passwordHash ?? await this.#hasher.dummyHash();
    let matches: boolean;
    try {
      matches = await this.#hasher.verify(attempt.password, hash);
    } catch (error) {
      if (!(error instanceof PasswordHashFormatError)) throw error;
      // A damaged row refuses its user and says so to the operator.
      this.#logger.error("account.bad_hash", {
        user: attempt.username,
        error: error.message,
      });
      return false;
    }
    return matches && account !== null && !account.disabled;
  }
}
