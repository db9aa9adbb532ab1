/**
 * Who may log in. `--auth open` accepts anyone; accounts plug in behind the
 * same interface.
 *
 * @example
 * ```ts
 * import { OpenAuthenticator, verdictOf } from "./auth.ts";
 * const answer = await new OpenAuthenticator().verify({ username: "ada", password: "", remoteAddress: "127.0.0.1" });
 * console.assert(verdictOf(answer).kind === "accepted");
 * ```
 * @module
 */

/** One login attempt. */
export interface LoginAttempt {
  readonly username: string;
  readonly password: string;
  /** The client's IP address, for slowing down repeated failures. */
  readonly remoteAddress: string;
  /** Aborted when the server closes: a throttled attempt stops waiting. */
  readonly signal?: AbortSignal;
  /**
   * True once the client has gone: an attempt that waited (throttled, or
   * queued for the hasher) is then dropped before its password is checked.
   */
  readonly gone?: () => boolean;
}

/** What an authenticator's throttle did, for the server's metrics. */
export interface ThrottleCounts {
  /** Logins refused without checking (they would have waited too long). */
  readonly refused: number;
  /** Logins made to wait before their check. */
  readonly delayed: number;
}

/** What an authenticator decided about one attempt. */
export type LoginVerdict =
  /**
   * Let in. `revision` is the account's revision as the check read it (see
   * `Account.revision`): a later revocation of the user ends the session.
   * Null when no account was consulted (nothing revokes the session).
   */
  | { readonly kind: "accepted"; readonly revision: number | null }
  /** Wrong credentials (or unknown, or disabled user): `0:-1`. */
  | { readonly kind: "refused" }
  /**
   * Not checked, because of too many recent failures on the username or
   * address: `9:0:rate-limited:<text>`, then `0:-1`.
   */
  | { readonly kind: "throttled"; readonly text: string }
  /**
   * Not checked, because the server has too many password checks waiting:
   * `9:0:busy:<text>`, then `0:-1`. The client may try again soon.
   */
  | { readonly kind: "busy"; readonly text: string };

/** Decides whether a login is accepted. Must not block the event loop. */
export interface Authenticator {
  /**
   * A verdict, or simply true (accepted, not revocable) or false (refused
   * with `0:-1`).
   */
  verify(attempt: LoginAttempt): Promise<LoginVerdict | boolean>;
  /** Counts of its throttling, when it throttles. */
  readonly throttled?: ThrottleCounts;
}

/** The {@linkcode LoginVerdict} an authenticator's answer stands for. */
export function verdictOf(answer: LoginVerdict | boolean): LoginVerdict {
  if (answer === true) return { kind: "accepted", revision: null };
  if (answer === false) return { kind: "refused" };
  return answer;
}

/** Accepts every username and password: for development and tests. */
export class OpenAuthenticator implements Authenticator {
  /** Always accepts. */
  verify(_attempt: LoginAttempt): Promise<boolean> {
    return Promise.resolve(true);
  }
}
