/** Authenticators for tests that need a login to be refused. */
import type { Authenticator, LoginAttempt } from "../../server/mod.ts";

/** Accepts exactly the listed username/password pairs. */
export class TableAuthenticator implements Authenticator {
  readonly #passwords: ReadonlyMap<string, string>;
  /** `passwords` maps usernames to their passwords. */
  constructor(passwords: Record<string, string>) {
    this.#passwords = new Map(Object.entries(passwords));
  }
  verify(attempt: LoginAttempt): Promise<boolean> {
    return Promise.resolve(
      this.#passwords.get(attempt.username) === attempt.password,
    );
  }
}
