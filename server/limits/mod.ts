/**
 * The server's limits on what one client may do: connections at accept,
 * lines and logins per time, open files.
 *
 * @example
 * ```ts
 * import { TokenBucket } from "./mod.ts";
 * console.assert(new TokenBucket(1, 1, 0).take(0));
 * ```
 * @module
 */
export { Admission, type AdmissionRefusal } from "./admission.ts";
export { checkFileLimit, openFilesLimit } from "./fd_limit.ts";
export { RateLimits } from "./rate_limits.ts";
export { TokenBucket } from "./token_bucket.ts";
