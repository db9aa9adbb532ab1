/**
 * Our lines written while a resumable session is disconnected wait for it
 * to be back: one promise for all of them, resolved on resume, rejected when
 * the session ends instead.
 *
 * @example
 * ```ts
 * import { BackSignal } from "./back_signal.ts";
 * const back = new BackSignal();
 * const waiting = back.wait();
 * back.resolve();
 * await waiting;
 * ```
 * @module
 */

const nothing = () => {};

/** The promise that writes made while down wait for. */
export class BackSignal {
  #back: PromiseWithResolvers<void> | null = null;

  /** Resolves once the session is back; rejects if it ends instead. */
  wait(): Promise<void> {
    if (this.#back === null) {
      this.#back = Promise.withResolvers<void>();
      // Writers that do not await are not left with an unhandled rejection.
      this.#back.promise.catch(nothing);
    }
    return this.#back.promise;
  }

  /** The session is back: the waiting writes are sent. */
  resolve(): void {
    const back = this.#back;
    this.#back = null;
    back?.resolve();
  }

  /** The session ended: the waiting writes fail with `error`. */
  fail(error: Error): void {
    const back = this.#back;
    this.#back = null;
    back?.reject(error);
  }
}
