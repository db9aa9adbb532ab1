/**
 * Resume tokens: 128 random bits from the system's CSPRNG as 32 lowercase
 * hex digits, made for one session and replaced at each resume, and
 * compared in constant time, so that neither guessing nor timing finds one.
 *
 * @example
 * ```ts
 * import { newResumeToken, resumeTokenMatches } from "./resume_token.ts";
 * const token = newResumeToken();
 * console.assert(resumeTokenMatches(token, token) && !resumeTokenMatches(token, "0".repeat(32)));
 * ```
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import { RESUME_TOKEN_LENGTH } from "../../protocol/mod.ts";

const utf8 = new TextEncoder();

/** A new token: 32 lowercase hex digits. */
export function newResumeToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(RESUME_TOKEN_LENGTH / 2));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether `given` is `token`, compared in constant time. */
export function resumeTokenMatches(token: string, given: string): boolean {
  const a = utf8.encode(token);
  const b = utf8.encode(given);
  // The length is not secret (the decoder admits only 32 hex digits).
  return a.length === b.length && timingSafeEqual(a, b);
}
