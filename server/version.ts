/**
 * The version of Switchboard, as `--version` and the admin endpoint's
 * `/status` show it.
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * console.assert(/^\d+\.\d+\.\d+/.test(VERSION));
 * ```
 * @module
 */

/** Semantic version of this build. */
export const VERSION = "0.1.0";
