/**
 * Room membership, master election and room-wide fan-out.
 *
 * Every join, leave, master change and room message is enqueued to every
 * member synchronously, in one place, so all members see them in one order:
 * that single order is what makes `3:2`/`3:3` totally ordered and keeps joins
 * and leaves ordered with messages.
 *
 * @example
 * ```ts
 * import { LocalRooms } from "./rooms.ts";
 * const rooms = new LocalRooms({ maxRooms: 10 });
 * const got: string[] = [];
 * const ada = { id: 1, send: (f: Uint8Array) => got.push(new TextDecoder().decode(f)) };
 * rooms.join(ada, "lobby", "");
 * console.assert(got.join("") === "2:1:lobby\n4:1\n");
 * ```
 * @module
 */
import {
  encodeServerMessage,
  ErrorCode,
  type RoomCount,
} from "../../protocol/mod.ts";
import type { Peer } from "../sessions/peer.ts";
import { AdHocLock, type RoomLock } from "./room_lock.ts";

/**
 * One lossy (UDP-origin) message on its way to room members: each member
 * gets it over its UDP channel or, failing that, over TCP.
 */
export interface LossyDelivery {
  /** The message as a line, `3:<id>:<payload>\n`. */
  readonly frame: Uint8Array;
  /** Delivers to one member. */
  to(peer: Peer): void;
}

/** Why a join was refused. */
export interface JoinRefusal {
  readonly code: ErrorCode;
  readonly text: string;
}

/** A room with its members in join order; the first is the master. */
export class Room {
  /** Members, oldest first. */
  readonly members: Peer[] = [];
  /** Who may join, and whether `1:` shows it. */
  lock: RoomLock;
  /** Declared by an administrator: it stays when empty. */
  declared = false;
  /** Most members at once; null for no limit. */
  maxMembers: number | null = null;

  /** Creates an empty room; a non-empty password makes it private. */
  constructor(readonly name: string, password: string | RoomLock) {
    this.lock = typeof password === "string"
      ? new AdHocLock(password)
      : password;
  }

  /** Whether the room needs a password to join and is hidden from `1:`. */
  get isPrivate(): boolean {
    return this.lock.isPrivate;
  }

  /** The master client: the member who has been in the room longest. */
  get master(): Peer | undefined {
    return this.members[0];
  }

  /**
   * Whether `password` opens this room; a promise when that is slow work
   * (waiting in the hasher's queue in `lane`).
   */
  admits(password: string, lane?: string): boolean | Promise<boolean> {
    return this.lock.opens(password, lane);
  }

  /** Whether the room has no place left. */
  get isFull(): boolean {
    return this.maxMembers !== null && this.members.length >= this.maxMembers;
  }

  /**
   * Sends `frame` to every member, except `skip` when given. A room that
   * spans servers returns a promise while the sender should wait (its
   * server has too much on its way to the others).
   */
  fanOut(frame: Uint8Array, skip: Peer | null): void | Promise<void> {
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      if (member !== skip) member.send(frame);
    }
  }

  /** Sends a lossy message to every member, except `skip` when given. */
  fanOutLossy(message: LossyDelivery, skip: Peer | null): void {
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      if (member !== skip) message.to(member);
    }
  }
}

/** A room an administrator declared, as the registry needs it. */
export interface DeclaredRoom {
  readonly name: string;
  readonly lock: RoomLock;
  readonly maxMembers: number | null;
}

/**
 * The rooms a server knows. An interface so that rooms spanning several
 * servers can replace the local implementation.
 */
export interface RoomRegistry {
  /**
   * Why `password` would not get a newcomer into `name`, or null if it
   * would. A promise when checking the password is slow work (a declared
   * room's hash).
   */
  check(
    name: string,
    password: string,
    lane?: string,
  ): JoinRefusal | null | Promise<JoinRefusal | null>;
  /**
   * Whether a join of `name` would have its password checked now (the room
   * exists, has a password and has room): such a join is a guess, and is
   * throttled. When absent, any join with a password counts as one.
   */
  needsPassword?(name: string): boolean;
  /**
   * Puts `peer` (in no room) into `name`, creating the room if needed. Never
   * slow here: a declared room's password must have passed
   * {@linkcode check}. A promise when the rooms live elsewhere (a
   * deployment of several servers decides joins in one shared place).
   */
  join(
    peer: Peer,
    name: string,
    password: string,
  ): Room | JoinRefusal | Promise<Room | JoinRefusal>;
  /** Takes `peer` out of `room`, telling it and the others. */
  leave(peer: Peer, room: Room): void;
  /**
   * Rooms visible with `password`: public ones, plus private ones it opens.
   * A promise when checking the password against a declared room is slow
   * (its checks wait in the hasher's queue in `lane`).
   */
  list(password: string, lane?: string): RoomCount[] | Promise<RoomCount[]>;
}

/**
 * The rooms that have members on this server, for the operator's view and
 * actions (the admin endpoint): all rooms on a server of its own, the rooms
 * with local members in a deployment.
 */
export interface LocalRoomIndex {
  /** Every such room, oldest first. */
  values(): IterableIterator<Room>;
  /** The room called `name`, if it is one of them. */
  get(name: string): Room | undefined;
}

/** Rooms held in this process. */
export class LocalRooms implements RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #maxRooms: number;

  /** Creates an empty registry. */
  constructor(options: { maxRooms: number }) {
    this.#maxRooms = options.maxRooms;
  }

  /** Number of rooms that exist now. */
  get size(): number {
    return this.#rooms.size;
  }

  /** Every room, oldest first. */
  values(): IterableIterator<Room> {
    return this.#rooms.values();
  }

  /** The room called `name`, if it exists. */
  get(name: string): Room | undefined {
    return this.#rooms.get(name);
  }

  /**
   * Replaces the set of declared rooms. New ones appear (empty, in the order
   * given); existing rooms of those names take the declared lock and limit
   * and keep their members. A room no longer declared becomes ad-hoc: it
   * keeps its members, lock and limit until it empties, then disappears.
   */
  declare(rooms: readonly DeclaredRoom[]): void {
    const names = new Set<string>();
    for (const spec of rooms) {
      names.add(spec.name);
      let room = this.#rooms.get(spec.name);
      if (room === undefined) {
        room = new Room(spec.name, spec.lock);
        this.#rooms.set(spec.name, room);
      } else {
        room.lock = spec.lock;
      }
      room.declared = true;
      room.maxMembers = spec.maxMembers;
    }
    for (const room of this.#rooms.values()) {
      if (room.declared && !names.has(room.name)) {
        room.declared = false;
        if (room.members.length === 0) this.#rooms.delete(room.name);
      }
    }
  }

  check(
    name: string,
    password: string,
    lane?: string,
  ): JoinRefusal | null | Promise<JoinRefusal | null> {
    const room = this.#rooms.get(name);
    if (room === undefined) return this.#roomForMore();
    if (room.isFull) return full(room);
    const opens = room.admits(password, lane);
    if (typeof opens === "boolean") return opens ? null : wrongPassword(name);
    return opens.then((ok) => ok ? null : wrongPassword(name));
  }

  needsPassword(name: string): boolean {
    const room = this.#rooms.get(name);
    return room !== undefined && room.lock.hasPassword && !room.isFull;
  }

  #roomForMore(): JoinRefusal | null {
    return this.#rooms.size < this.#maxRooms ? null : {
      code: ErrorCode.TooManyRooms,
      text: `the server holds ${this.#maxRooms} rooms`,
    };
  }

  join(peer: Peer, name: string, password: string): Room | JoinRefusal {
    let room = this.#rooms.get(name);
    if (room === undefined) {
      const refusal = this.#roomForMore();
      if (refusal !== null) return refusal;
      room = new Room(name, password);
      this.#rooms.set(name, room);
    } else {
      if (room.isFull) return full(room);
      // null: the lock was replaced since the check; the client may retry.
      if (room.lock.opensNow(password) !== true) return wrongPassword(name);
    }
    const joined = encodeServerMessage({
      kind: "joined",
      id: peer.id,
      room: name,
    });
    room.fanOut(joined, null);
    room.members.push(peer);
    peer.send(joined);
    for (const member of room.members) {
      if (member !== peer) {
        peer.send(
          encodeServerMessage({ kind: "joined", id: member.id, room: name }),
        );
      }
    }
    peer.send(encodeServerMessage({ kind: "master", id: room.master!.id }));
    return room;
  }

  leave(peer: Peer, room: Room): void {
    const index = room.members.indexOf(peer);
    if (index === -1) return;
    room.members.splice(index, 1);
    const left = encodeServerMessage({ kind: "left", id: peer.id });
    peer.send(left);
    room.fanOut(left, null);
    if (room.members.length === 0) {
      if (!room.declared) this.#rooms.delete(room.name);
    } else if (index === 0) {
      room.fanOut(
        encodeServerMessage({ kind: "master", id: room.master!.id }),
        null,
      );
    }
  }

  list(password: string, lane?: string): RoomCount[] | Promise<RoomCount[]> {
    const rooms = [...this.#rooms.values()];
    const verdicts = rooms.map((room) =>
      !room.isPrivate ||
      (password !== "" && room.lock.hasPassword && room.admits(password, lane))
    );
    if (verdicts.every((v) => typeof v === "boolean")) {
      return counts(rooms.filter((_, i) => verdicts[i]));
    }
    // Counts are taken once every slow check is done, from rooms that still
    // exist then.
    return Promise.all(verdicts).then((ok) =>
      counts(rooms.filter((r, i) => ok[i] && this.#rooms.get(r.name) === r))
    );
  }
}

function counts(rooms: readonly Room[]): RoomCount[] {
  return rooms.map((room) => ({ name: room.name, count: room.members.length }));
}

function wrongPassword(name: string): JoinRefusal {
  return {
    code: ErrorCode.WrongPassword,
    text: `room ${name} needs its password`,
  };
}

function full(room: Room): JoinRefusal {
  return {
    code: ErrorCode.RoomFull,
    text: `room ${room.name} is full (${room.maxMembers} member${
      room.maxMembers === 1 ? "" : "s"
    })`,
  };
}

/** Narrows a join result. */
export function isRefusal(result: Room | JoinRefusal): result is JoinRefusal {
  return !(result instanceof Room);
}
