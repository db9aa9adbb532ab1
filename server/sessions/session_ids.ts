/**
 * Where session ids come from. Ids are unique across the deployment and never
 * reused while the deployment runs; a shared counter (Redis, PostgreSQL)
 * replaces the local one when several servers share a deployment.
 *
 * @example
 * ```ts
 * import { CounterSessionIds } from "./session_ids.ts";
 * const ids = new CounterSessionIds();
 * console.assert((await ids.next()) === 1);
 * ```
 * @module
 */

/** Hands out session ids. */
export interface SessionIdSource {
  /**
   * The next unused id (a positive safe integer).
   *
   * @throws {UnavailableError} when the shared counter cannot be reached.
   */
  next(): Promise<number>;
}

/**
 * What a deployment's servers share (the Redis that holds ids, rooms and
 * presence) cannot be reached now; the client may try again later.
 */
export class UnavailableError extends Error {
  /** Stable, for programs; also the error line's code. */
  readonly code = "unavailable";

  /** Says what could not be reached. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UnavailableError";
  }
}

/** A counter in this process: right for a deployment of one server. */
export class CounterSessionIds implements SessionIdSource {
  #last: number;

  /** Starts after `last` (0 by default, so the first id is 1). */
  constructor(last = 0) {
    this.#last = last;
  }

  next(): Promise<number> {
    return Promise.resolve(++this.#last);
  }
}
