/**
 * Keeps the room registry's declared rooms in step with the store.
 *
 * The admin CLI changes rooms in the database from another process, so the
 * server re-reads the (small) rooms table when a client lists or joins rooms
 * and the last read is older than `refreshMs`: no background timer, no query
 * on an idle server, and a change shows within `refreshMs` of being made.
 * Concurrent callers share one read. A failed read is logged and the rooms
 * known so far stay in force.
 *
 * @example
 * ```ts
 * import { DeclaredRooms } from "./declared_rooms.ts";
 * import { PasswordHasher } from "../accounts/password_hasher.ts";
 * import { LocalRooms } from "./rooms.ts";
 * import { openStore } from "../store/mod.ts";
 * await using store = await openStore(":memory:");
 * await store.addRoom({ name: "lobby", passwordHash: null, isPrivate: false, maxMembers: null });
 * const rooms = new LocalRooms({ maxRooms: 100 });
 * const declared = new DeclaredRooms({ store, rooms, hasher: new PasswordHasher() });
 * await declared.load();
 * console.assert(JSON.stringify(rooms.list("")) === '[{"name":"lobby","count":0}]');
 * ```
 * @module
 */
import { createLogger, errorField, type Logger } from "../logger.ts";
import {
  CheckQueueBusyError,
  type PasswordHasher,
} from "../accounts/password_hasher.ts";
import { HashedLock, OPEN_LOCK, type RoomLock } from "./room_lock.ts";
import type { DeclaredRoom } from "./rooms.ts";
import type { RoomRecord, Store } from "../store/mod.ts";

/** How stale the declared rooms may be when a client lists or joins. */
export const DEFAULT_ROOMS_REFRESH_MS = 1_000;

/** Whatever takes the declared set: {@linkcode LocalRooms.declare}. */
export interface DeclaredRoomsTarget {
  declare(rooms: readonly DeclaredRoom[]): void;
}

/** Options of {@linkcode DeclaredRooms}. */
export interface DeclaredRoomsOptions {
  store: Store;
  rooms: DeclaredRoomsTarget;
  hasher: PasswordHasher;
  /** {@linkcode DEFAULT_ROOMS_REFRESH_MS} by default; 0 reads every time. */
  refreshMs?: number;
  /** Monotonic milliseconds; `performance.now` by default. */
  now?: () => number;
  logger?: Logger;
}

/** The declared-rooms loader of one server. */
export class DeclaredRooms {
  readonly #options: DeclaredRoomsOptions;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #refreshMs: number;
  /** Locks by room name, reused while the row is unchanged. */
  #locks = new Map<string, { key: string; lock: RoomLock }>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | null = null;

  /** Creates the loader; call {@linkcode load} once before serving. */
  constructor(options: DeclaredRoomsOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#logger = options.logger ?? createLogger({ level: "silent" });
    this.#refreshMs = options.refreshMs ?? DEFAULT_ROOMS_REFRESH_MS;
  }

  /**
   * Reads the store now (sharing a read already under way).
   *
   * @throws {StoreError} when the store cannot be read.
   */
  load(): Promise<void> {
    this.#loading ??= this.#read().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  /**
   * Null when the declared rooms are fresh enough; otherwise a promise that
   * settles (never rejects) once they have been re-read.
   */
  fresh(): Promise<void> | null {
    if (
      this.#loading === null && this.#now() - this.#loadedAt < this.#refreshMs
    ) {
      return null;
    }
    return this.load().catch((error) => {
      this.#logger.error("rooms.reload_failed", {
        error: errorField(error),
      });
    });
  }

  async #read(): Promise<void> {
    const startedAt = this.#now();
    let records: RoomRecord[];
    try {
      records = await this.#options.store.listRooms();
    } finally {
      // A failed read is not retried before refreshMs either.
      this.#loadedAt = startedAt;
    }
    const locks = new Map<string, { key: string; lock: RoomLock }>();
    const rooms = records.map((record) => {
      const key = `${record.isPrivate}:${record.passwordHash}`;
      const known = this.#locks.get(record.name);
      const lock = known?.key === key ? known.lock : this.#lockFor(record);
      locks.set(record.name, { key, lock });
      return { name: record.name, lock, maxMembers: record.maxMembers };
    });
    this.#locks = locks;
    this.#options.rooms.declare(rooms);
  }

  #lockFor(record: RoomRecord): RoomLock {
    if (record.passwordHash !== null) {
      const hasher = this.#options.hasher;
      return new HashedLock(
        record.passwordHash,
        record.isPrivate,
        (password, hash, lane) =>
          hasher.verify(password, hash, { lane }).catch((error) => {
            // Busy is not a wrong password: the client is told to retry.
            if (error instanceof CheckQueueBusyError) throw error;
            this.#logger.error("room.bad_hash", {
              room: record.name,
              error: errorField(error),
            });
            return false;
          }),
      );
    }
    // A private room without a password is hidden but joinable by name.
    return record.isPrivate ? { ...OPEN_LOCK, isPrivate: true } : OPEN_LOCK;
  }
}
