/**
 * Input an administrator gave that the server cannot take: a name that
 * breaks the name rules, an unusable password, a limit out of range.
 *
 * @example
 * ```ts
 * import { AdminInputError } from "./admin_input_error.ts";
 * const error = new AdminInputError("invalid-name", "username a:b contains ':'");
 * console.assert(error instanceof TypeError && error.code === "invalid-name");
 * ```
 * @module
 */

/** Stable codes of {@linkcode AdminInputError}. */
export type AdminInputErrorCode =
  | "invalid-name"
  | "invalid-password"
  | "invalid-limit";

/** Refused administrator input; the message says what to change. */
export class AdminInputError extends TypeError {
  /** Creates the error. */
  constructor(
    readonly code: AdminInputErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "AdminInputError";
  }
}
