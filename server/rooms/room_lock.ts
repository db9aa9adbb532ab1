/**
 * What it takes to join a room, and whether the room is hidden from `1:`.
 *
 * An ad-hoc room's password (given by its first joiner) lives only in
 * memory, as a SHA-256 digest: checking it is synchronous. A declared
 * room's password is a slow hash from the store; the first correct password
 * is checked the slow way, and its digest is then kept so later joins are
 * checked at once (a room has exactly one correct password, so this memory
 * holds one entry).
 *
 * @example
 * ```ts
 * import { AdHocLock } from "./room_lock.ts";
 * const lock = new AdHocLock("pw");
 * console.assert(lock.isPrivate && lock.opens("pw") === true && lock.opens("x") === false);
 * ```
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** Guards a room. */
export interface RoomLock {
  /** Hidden from `1:` unless its password is given. */
  readonly isPrivate: boolean;
  /** Whether the room needs a password at all. */
  readonly hasPassword: boolean;
  /**
   * Whether `password` opens the room; a promise when it needs slow work,
   * which waits in the hasher's queue in `lane` (the asker's address).
   */
  opens(password: string, lane?: string): boolean | Promise<boolean>;
  /** Like {@linkcode opens}, but `null` instead of slow work. */
  opensNow(password: string): boolean | null;
}

function digest(password: string): Uint8Array {
  return createHash("sha256").update(password).digest();
}

/** A room anyone may join and see. */
export const OPEN_LOCK: RoomLock = Object.freeze({
  isPrivate: false,
  hasPassword: false,
  opens: () => true,
  opensNow: () => true,
});

/** An ad-hoc room: private with the first joiner's password, if any. */
export class AdHocLock implements RoomLock {
  readonly #digest: Uint8Array | null;

  /** A non-empty password makes the room private. */
  constructor(password: string) {
    this.#digest = password === "" ? null : digest(password);
  }

  get isPrivate(): boolean {
    return this.#digest !== null;
  }

  get hasPassword(): boolean {
    return this.#digest !== null;
  }

  opens(password: string): boolean {
    return this.#digest === null ||
      timingSafeEqual(this.#digest, digest(password));
  }

  opensNow(password: string): boolean {
    return this.opens(password);
  }
}

/** A declared room's lock over a slow password hash from the store. */
export class HashedLock implements RoomLock {
  readonly hasPassword = true;
  #known: Uint8Array | null = null;
  #pending = new Map<string, Promise<boolean>>();

  /**
   * `verify(password, hash, lane)` checks a password against `hash` the slow
   * way. `isPrivate` hides the room from `1:` without its password.
   */
  constructor(
    readonly hash: string,
    readonly isPrivate: boolean,
    readonly verify: (
      password: string,
      hash: string,
      lane?: string,
    ) => Promise<boolean>,
  ) {}

  opensNow(password: string): boolean | null {
    // A declared room's password is never empty: no hash needed to say no.
    if (password === "") return false;
    if (this.#known === null) return null;
    return timingSafeEqual(this.#known, digest(password));
  }

  opens(password: string, lane?: string): boolean | Promise<boolean> {
    const now = this.opensNow(password);
    if (now !== null) return now;
    // Concurrent checks of one password share one slow hash.
    let pending = this.#pending.get(password);
    if (pending === undefined) {
      pending = this.verify(password, this.hash, lane).then((ok) => {
        if (ok) this.#known = digest(password);
        return ok;
      }).finally(() => this.#pending.delete(password));
      this.#pending.set(password, pending);
    }
    return pending;
  }
}
