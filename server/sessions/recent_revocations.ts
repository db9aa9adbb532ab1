/**
 * The newest revocation of each user seen lately, so that a login whose
 * check read the account just before a revocation, and whose session starts
 * just after the revocation reached this server, is refused too: there was
 * no session to end when the revocation arrived.
 *
 * Bounded: entries are forgotten after `keepMs` (far longer than a login
 * takes from its account read to its session), and past `maxEntries` the
 * oldest go first.
 *
 * @example
 * ```ts
 * import { RecentRevocations } from "./recent_revocations.ts";
 * const recent = new RecentRevocations();
 * recent.note("ada", 7, 0);
 * console.assert(recent.revokedSince("ada", 6, 1) && !recent.revokedSince("ada", 7, 1));
 * ```
 * @module
 */

/** How long a revocation is remembered, by default. */
export const DEFAULT_REVOCATION_MEMORY_MS = 10 * 60_000;

/** Users remembered at most, by default. */
export const DEFAULT_REVOCATION_MEMORY_ENTRIES = 10_000;

/** Recent revocations by username. */
export class RecentRevocations {
  /** Oldest first (a Map keeps insertion order; a new note moves to the end). */
  readonly #byName = new Map<string, { id: number; at: number }>();

  /** Remembers entries for `keepMs`, at most `maxEntries` of them. */
  constructor(
    readonly keepMs = DEFAULT_REVOCATION_MEMORY_MS,
    readonly maxEntries = DEFAULT_REVOCATION_MEMORY_ENTRIES,
  ) {}

  /** Revocation `id` of `username` arrived at `now` (ms). */
  note(username: string, id: number, now: number): void {
    const known = this.#byName.get(username);
    this.#byName.delete(username);
    this.#byName.set(username, { id: Math.max(id, known?.id ?? 0), at: now });
    this.#sweep(now);
  }

  /** Whether `username` was revoked after the account read at `revision`. */
  revokedSince(username: string, revision: number, now: number): boolean {
    this.#sweep(now);
    const entry = this.#byName.get(username);
    return entry !== undefined && entry.id > revision;
  }

  #sweep(now: number): void {
    for (const [name, entry] of this.#byName) {
      if (
        this.#byName.size <= this.maxEntries && now - entry.at < this.keepMs
      ) {
        return;
      }
      this.#byName.delete(name);
    }
  }
}
