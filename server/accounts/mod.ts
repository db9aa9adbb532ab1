/**
 * Accounts: who may log in (open or against the store), password hashing,
 * the throttle on failed logins, and the administration of accounts.
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
  OpenAuthenticator,
  type ThrottleCounts,
} from "./auth.ts";
export {
  AccountsAuthenticator,
  type AccountsAuthenticatorOptions,
} from "./accounts_auth.ts";
export {
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
export { AccountAdmin, type AccountSummary } from "./account_admin.ts";
export { AdminInputError } from "./admin_input_error.ts";
