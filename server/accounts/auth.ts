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

/** Decides whether a login is accepted. Must not block the event loop. */
export interface Authenticator {
  /** Resolves true to accept the login, false to refuse it with `0:-1`. */
  verify(attempt: LoginAttempt): Promise<boolean>;
}

/** Accepts every username and password: for development and tests. */
export class OpenAuthenticator implements Authenticator {
  /** Always accepts. */
  verify(_attempt: LoginAttempt): Promise<boolean> {
    return Promise.resolve(true);
  }
}
