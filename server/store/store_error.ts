/**
 * The one error type of the store, with a stable `code` for programs.
 *
 * @example
 * ```ts
 * import { StoreError } from "./store_error.ts";
 * const error = new StoreError("duplicate", "user ada already exists");
 * console.assert(error.code === "duplicate" && error instanceof Error);
 * ```
 * @module
 */

/** Stable codes of {@linkcode StoreError}. */
export const StoreErrorCode = {
  /** A row of that name exists already. */
  Duplicate: "duplicate",
  /** No row of that name. */
  NotFound: "not-found",
  /** The database cannot be opened or reached. */
  Unavailable: "unavailable",
  /** `--db` names a SQLite file that does not exist (and may not be created). */
  Missing: "missing",
  /** `--db` is a URL of a database that is not supported. */
  Unsupported: "unsupported",
} as const;

/** One of the {@linkcode StoreErrorCode} values. */
export type StoreErrorCode = typeof StoreErrorCode[keyof typeof StoreErrorCode];

/** A store operation that failed for a reason a person can act on. */
export class StoreError extends Error {
  /** Creates the error; `cause` keeps the driver's own error. */
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "StoreError";
  }
}
