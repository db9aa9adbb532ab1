/**
 * A request's answer, or a {@linkcode RequestTimeoutError} if it takes too
 * long.
 *
 * @example
 * ```ts
 * import { withTimeout } from "./with_timeout.ts";
 * console.assert(await withTimeout(Promise.resolve(1), 1_000, "login") === 1);
 * ```
 * @module
 */
import { RequestTimeoutError } from "./errors.ts";

/** `answer`, or a rejection with a {@linkcode RequestTimeoutError} after `ms` for request `what`. */
export function withTimeout<T>(
  answer: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RequestTimeoutError(what, ms)),
      ms,
    );
    answer.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
