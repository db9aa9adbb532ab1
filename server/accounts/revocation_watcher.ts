/**
 * Brings account revocations (`users disable`, `users remove`, `users
 * passwd`) to this server's live sessions, through the database alone: the
 * admin command writes a revocation row with its change, and every server
 * sharing the database reads the rows newer than the last it saw, about
 * twice a second. That works for any number of servers on one PostgreSQL,
 * and for each node of a cluster.
 *
 * A poll is one indexed range query that usually returns nothing (SQLite:
 * a few microseconds; PostgreSQL: one round trip). A failed poll is logged
 * once and retried at the next tick; nothing is skipped, since the cursor
 * only moves past rows that were handed on.
 *
 * @example
 * ```ts
 * import { RevocationWatcher } from "./revocation_watcher.ts";
 * import { openStore } from "../store/mod.ts";
 * await using store = await openStore(":memory:");
 * const seen: string[] = [];
 * const watcher = new RevocationWatcher({ store, revoke: (r) => seen.push(r.username) });
 * await watcher.start();
 * await store.addAccount({ username: "ada", passwordHash: "h" });
 * await store.setDisabled("ada", true);
 * await watcher.poll();
 * watcher.close();
 * console.assert(seen.join() === "ada");
 * ```
 * @module
 */
import { createLogger, errorField, type Logger } from "../logger.ts";
import type { SessionRegistry } from "../sessions/sessions.ts";
import type { Revocation, Store } from "../store/mod.ts";

/** How often a server looks for new revocations, by default. */
export const DEFAULT_REVOCATION_POLL_MS = 500;

/** Rows read per query; a burst of more is read in several. */
const BATCH = 500;

/** Options of {@linkcode RevocationWatcher}. */
export interface RevocationWatcherOptions {
  /** Where revocations are read. */
  store: Pick<Store, "latestRevision" | "revocationsSince">;
  /** Called once per new revocation, oldest first. */
  revoke(revocation: Revocation): void;
  /** {@linkcode DEFAULT_REVOCATION_POLL_MS} by default. */
  pollMs?: number;
  logger?: Logger;
}

/** Polls the store for revocations until closed. */
export class RevocationWatcher {
  readonly #options: RevocationWatcherOptions;
  readonly #pollMs: number;
  readonly #logger: Logger;
  #cursor = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #polling: Promise<number> | null = null;
  #failing = false;
  #closed = false;

  /** Creates the watcher; {@linkcode start} begins polling. */
  constructor(options: RevocationWatcherOptions) {
    this.#options = options;
    this.#pollMs = options.pollMs ?? DEFAULT_REVOCATION_POLL_MS;
    if (!Number.isSafeInteger(this.#pollMs) || this.#pollMs < 1) {
      throw new RangeError(`pollMs must be a positive integer`);
    }
    this.#logger = options.logger ?? createLogger({ level: "silent" });
  }

  /** The id of the newest revocation handed on. */
  get cursor(): number {
    return this.#cursor;
  }

  /**
   * Starts after the newest revocation there is now (older ones concern
   * sessions that no longer exist), then polls every `pollMs`.
   *
   * @throws {StoreError} when the store cannot be read.
   */
  async start(): Promise<void> {
    this.#cursor = await this.#options.store.latestRevision();
    this.#schedule();
  }

  /**
   * Reads and hands on every revocation newer than the cursor; resolves to
   * how many there were. Concurrent calls share one read.
   */
  poll(): Promise<number> {
    this.#polling ??= this.#read().finally(() => {
      this.#polling = null;
    });
    return this.#polling;
  }

  /** Stops polling. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #read(): Promise<number> {
    let handed = 0;
    while (!this.#closed) {
      const rows = await this.#options.store.revocationsSince(
        this.#cursor,
        BATCH,
      );
      for (const row of rows) {
        this.#cursor = row.id;
        handed++;
        this.#options.revoke(row);
      }
      if (rows.length < BATCH) break;
    }
    return handed;
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.poll().then(() => {
        if (this.#failing) {
          this.#failing = false;
          this.#logger.info("revocations.poll_recovered", {});
        }
      }, (error) => {
        if (!this.#failing) {
          this.#failing = true;
          this.#logger.error("revocations.poll_failed", {
            error: errorField(error),
          });
        }
      }).finally(() => this.#schedule());
    }, this.#pollMs);
  }
}

/**
 * The watcher of one server (or cluster node): each revocation ends the
 * user's session in `sessions` if its login was checked before it, and is
 * logged as `account.revoked`.
 */
export function revocationsFor(
  store: RevocationWatcherOptions["store"],
  sessions: Pick<SessionRegistry, "revoke">,
  options: { pollMs?: number; logger: Logger },
): RevocationWatcher {
  const { logger } = options;
  return new RevocationWatcher({
    store,
    pollMs: options.pollMs,
    logger,
    revoke: (revocation) => {
      const ended = sessions.revoke(revocation);
      logger.info("account.revoked", {
        user: revocation.username,
        reason: revocation.reason,
        revocation: revocation.id,
        session: ended?.id,
      });
    },
  });
}
