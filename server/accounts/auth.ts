/**
 * Who may log in. `--auth open` accepts anyone; accounts plug in behind the
 * same interface.
 *
 * @example
 * ```ts
 * import { OpenAuthenticator } from "./auth.ts";
 * const ok = await new OpenAuthenticator().verify({ username: "ada", password: "", remoteAddress: "127.0.0.1" });
 * console.assert(ok);
 * ```
 * @module
 */

/** One login attempt. */
export interface LoginAttempt {
  readonly username: string;
  readonly password: string;
  /** The client's IP address, for slowing down repeated failures. */
  readonly remoteAddress: string;
}

/** What an authenticator's throttle did, for the server's metrics. */
export interface ThrottleCounts {
  /** Logins refused without checking (they would have waited too long). */
  readonly refused: number;
  /** Logins made to wait before their check. */
  readonly delayed: number;
}

/** Decides whether a login is accepted. Must not block the event loop. */
export interface Authenticator {
  /** Resolves true to accept the login, false to refuse it with `0:-1`. */
  verify(attempt: LoginAttempt): Promise<boolean>;
  /** Counts of its throttling, when it throttles. */
  readonly throttled?: ThrottleCounts;
}

/** Accepts every username and password: for development and tests. */
export class OpenAuthenticator implements Authenticator {
  /** Always accepts. */
  verify(_attempt: LoginAttempt): Promise<boolean> {
    return Promise.resolve(true);
  }
}
