/**
 * The tokens that resume one session: the current one, and for a while the
 * one last used.
 *
 * @example
 * ```ts
 * import { ResumeTokens } from "./resume_tokens.ts";
 * const tokens = new ResumeTokens();
 * const used = tokens.current;
 * tokens.rotate(used);
 * console.assert(tokens.matches(used) && tokens.matches(tokens.current));
 * tokens.confirmed();
 * console.assert(!tokens.matches(used));
 * ```
 * @module
 */
import { newResumeToken, resumeTokenMatches } from "./resume_token.ts";

/** A session's current resume token and its fallback. */
export class ResumeTokens {
  #token = newResumeToken();
  /**
   * The token the client resumed with, still accepted until the client shows
   * it got the new one (its first line on the new connection): a resume
   * whose answer is lost to another drop can be tried again.
   */
  #fallback: string | null = null;

  /** The token the client is to present next. */
  get current(): string {
    return this.#token;
  }

  /** Whether `token` resumes this session (the current one, or the fallback). */
  matches(token: string): boolean {
    const current = resumeTokenMatches(this.#token, token);
    const fallback = this.#fallback !== null &&
      resumeTokenMatches(this.#fallback, token);
    return current || fallback;
  }

  /** The client resumed with `used`: a new token, `used` kept as fallback. */
  rotate(used: string): void {
    this.#fallback = used;
    this.#token = newResumeToken();
  }

  /** The client has the current token: the fallback goes. */
  confirmed(): void {
    this.#fallback = null;
  }
}
