/**
 * Accounts: who may log in (open or against the store), password hashing,
 * the throttle on failed logins, revocations reaching live sessions, and
 * the administration of accounts.
 *
 * @example
 * ```ts
 * import { OpenAuthenticator } from "./mod.ts";
 * console.assert(await new OpenAuthenticator().verify({ username: "ada", password: "", remoteAddress: "::1" }));
 * ```
 * @module
 */
export {
  type Authenticator,
  type LoginAttempt,
  type LoginVerdict,
  OpenAuthenticator,
  type ThrottleCounts,
  verdictOf,
} from "./auth.ts";
export {
  DEFAULT_REVOCATION_POLL_MS,
  revocationsFor,
  RevocationWatcher,
  type RevocationWatcherOptions,
} from "./revocation_watcher.ts";
export {
  AccountsAuthenticator,
  type AccountsAuthenticatorOptions,
} from "./accounts_auth.ts";
export {
  DEFAULT_MAX_QUEUED_CHECKS,
  DEFAULT_SCRYPT,
  parseHash,
  PasswordHasher,
  PasswordHashFormatError,
  type ScryptParams,
} from "./password_hasher.ts";
export {
  DEFAULT_LOGIN_THROTTLE,
  LoginThrottle,
  type LoginThrottlePolicy,
} from "./login_throttle.ts";
export {
  DEFAULT_ROOM_PASSWORD_THROTTLE,
  RoomPasswordThrottle,
  type RoomPasswordThrottlePolicy,
} from "./room_password_throttle.ts";
export { GuessThrottle, type GuessThrottlePolicy } from "./guess_throttle.ts";
export {
  CheckQueue,
  CheckQueueBusyError,
  type CheckQueueOptions,
} from "./check_queue.ts";
export { AccountAdmin, type AccountSummary } from "./account_admin.ts";
export { AdminInputError } from "./admin_input_error.ts";
