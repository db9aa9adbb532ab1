/**
 * What a client gives its {@linkcode ResumingConnection}: where lines go,
 * and what to do when the connection drops, resumes, or must log in afresh.
 *
 * @example
 * ```ts ignore
 * import type { ResumeHooks } from "./resume_hooks.ts";
 * // client_core.ts builds the RelayClient's.
 * ```
 * @module
 */
import type { ClientEvents } from "./client_events.ts";

/** What the client gives its resuming connection. */
export interface ResumeHooks {
  /** Every line that is not a `7:` line (copied by the callee if kept). */
  onLine(line: Uint8Array): void;
  /** Asked before each read; a promise pauses reading until it settles. */
  ready(): Promise<void> | undefined;
  readonly events: ClientEvents;
  /** Whether to get back after a drop: a session to resume or to replace. */
  wantsBack(): boolean;
  /** The current session's id, for events. */
  sessionId(): number | null;
  /** The connection dropped (before trying to get back). */
  dropped(): void;
  /**
   * The session resumed; the new UDP secret, if the server gave one. The
   * `resumed` event follows once it settles (the UDP channel open again).
   */
  resumed(udpSecret: string | null): Promise<void>;
  /** The session could not be resumed: log in afresh (on the new connection). */
  relogin(): Promise<void>;
}
