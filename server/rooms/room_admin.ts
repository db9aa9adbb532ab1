/**
 * Declared-room administration (`switchboard rooms …`): the rules, on top
 * of the store. A room's password is stored as a slow hash, like an
 * account's; a private room needs one (a private room is found through its
 * password, `1:password`).
 *
 * @example
 * ```ts
 * import { RoomAdmin } from "./room_admin.ts";
 * import { openStore } from "../store/mod.ts";
 * await using store = await openStore(":memory:");
 * const admin = new RoomAdmin(store);
 * await admin.add({ name: "lobby", maxMembers: 16 });
 * console.assert((await admin.list())[0]?.maxMembers === 16);
 * ```
 * @module
 */
import {
  checkPassword,
  checkRoomName,
  DEFAULT_LIMITS,
} from "../../protocol/mod.ts";
import { AdminInputError } from "../accounts/admin_input_error.ts";
import { PasswordHasher } from "../accounts/password_hasher.ts";
import { type Store, StoreError } from "../store/mod.ts";

/** The largest member limit a declared room may have. */
export const MAX_ROOM_MEMBERS = 100_000;

/** A room to declare. */
export interface RoomSpec {
  readonly name: string;
  /** Needed to join; none (or empty) for a room anyone may join. */
  readonly password?: string;
  /** Hidden from `1:` unless its password is given; needs a password. */
  readonly isPrivate?: boolean;
  /** Most members at once (1 to {@linkcode MAX_ROOM_MEMBERS}); none by default. */
  readonly maxMembers?: number | null;
}

/** A declared room as shown to people: never its hash. */
export interface RoomSummary {
  readonly name: string;
  readonly isPrivate: boolean;
  readonly hasPassword: boolean;
  readonly maxMembers: number | null;
  readonly createdAt: Date;
}

/** Options of {@linkcode RoomAdmin}. */
export interface RoomAdminOptions {
  hasher?: PasswordHasher;
  maxNameBytes?: number;
}

/** Declares, lists and removes rooms. */
export class RoomAdmin {
  readonly #store: Store;
  readonly #hasher: PasswordHasher;
  readonly #maxNameBytes: number;

  /** Works on `store`, which it does not own. */
  constructor(store: Store, options: RoomAdminOptions = {}) {
    this.#store = store;
    this.#hasher = options.hasher ?? new PasswordHasher();
    this.#maxNameBytes = options.maxNameBytes ?? DEFAULT_LIMITS.maxNameBytes;
  }

  /**
   * Checks a room's name, limit and privacy before any password is asked.
   *
   * @throws {AdminInputError}
   */
  checkSpec(spec: Omit<RoomSpec, "password">, hasPassword: boolean): void {
    const why = checkRoomName(spec.name, this.#maxNameBytes);
    if (why !== null) {
      throw new AdminInputError(
        "invalid-name",
        `room name ${JSON.stringify(spec.name)} ${why}`,
      );
    }
    const max = spec.maxMembers ?? null;
    if (
      max !== null &&
      (!Number.isSafeInteger(max) || max < 1 || max > MAX_ROOM_MEMBERS)
    ) {
      throw new AdminInputError(
        "invalid-limit",
        `the member limit must be a whole number from 1 to ${MAX_ROOM_MEMBERS}`,
      );
    }
    if (spec.isPrivate && !hasPassword) {
      throw new AdminInputError(
        "invalid-password",
        "a private room needs a password",
      );
    }
  }

  /**
   * Declares a room.
   *
   * @throws {AdminInputError} for a bad name, limit or password.
   * @throws {StoreError} `duplicate` when the room is declared already.
   */
  async add(spec: RoomSpec): Promise<void> {
    const password = spec.password ?? "";
    this.checkSpec(spec, password !== "");
    if (password !== "") {
      const why = checkPassword(password, this.#maxNameBytes);
      if (why !== null) {
        throw new AdminInputError("invalid-password", `the password ${why}`);
      }
    }
    await this.#store.addRoom({
      name: spec.name,
      passwordHash: password === "" ? null : await this.#hasher.hash(password),
      isPrivate: spec.isPrivate ?? false,
      maxMembers: spec.maxMembers ?? null,
    });
  }

  /** Every declared room, oldest first, without hashes. */
  async list(): Promise<RoomSummary[]> {
    return (await this.#store.listRooms()).map((r) => ({
      name: r.name,
      isPrivate: r.isPrivate,
      hasPassword: r.passwordHash !== null,
      maxMembers: r.maxMembers,
      createdAt: r.createdAt,
    }));
  }

  /**
   * Removes a declared room; `not-found` if there is none. Members in it
   * stay: it carries on as an ad-hoc room, with its password and limit,
   * until it empties.
   */
  remove(name: string): Promise<void> {
    return this.#store.removeRoom(name);
  }

  /**
   * Checks, before a password is asked for, that the room is declared.
   *
   * @throws {StoreError} `not-found` when it is not.
   */
  async checkExists(name: string): Promise<void> {
    if (!(await this.#store.listRooms()).some((r) => r.name === name)) {
      throw new StoreError("not-found", `room ${name} does not exist`);
    }
  }

  /**
   * Gives a declared room a new password. Members in it stay; every join
   * from then on (within a second, on every server) needs the new one.
   *
   * @throws {AdminInputError} for an empty or unusable password.
   * @throws {StoreError} `not-found` when the room is not declared.
   */
  async setPassword(name: string, password: string): Promise<void> {
    const why = password === ""
      ? "is empty"
      : checkPassword(password, this.#maxNameBytes);
    if (why !== null) {
      throw new AdminInputError("invalid-password", `the password ${why}`);
    }
    await this.#store.setRoomPasswordHash(
      name,
      await this.#hasher.hash(password),
    );
  }
}
