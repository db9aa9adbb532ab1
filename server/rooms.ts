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
import { createHash, timingSafeEqual } from "node:crypto";
import {
  encodeServerMessage,
  ErrorCode,
  type RoomCount,
} from "../protocol/mod.ts";
import type { Peer } from "./peer.ts";

/** Why a join was refused. */
export interface JoinRefusal {
  readonly code: ErrorCode;
  readonly text: string;
}

/** A room with its members in join order; the first is the master. */
export class Room {
  /** Members, oldest first. */
  readonly members: Peer[] = [];
  readonly #passwordHash: Uint8Array | null;

  /** Creates an empty room; a non-empty password makes it private. */
  constructor(readonly name: string, password: string) {
    this.#passwordHash = password === "" ? null : digest(password);
  }

  /** Whether the room needs a password to join and is hidden from `1:`. */
  get isPrivate(): boolean {
    return this.#passwordHash !== null;
  }

  /** The master client: the member who has been in the room longest. */
  get master(): Peer | undefined {
    return this.members[0];
  }

  /** Whether `password` opens this room (always true for a public room). */
  admits(password: string): boolean {
    return this.#passwordHash === null ||
      timingSafeEqual(this.#passwordHash, digest(password));
  }

  /** Sends `frame` to every member, except `skip` when given. */
  fanOut(frame: Uint8Array, skip: Peer | null): void {
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      if (member !== skip) member.send(frame);
    }
  }
}

function digest(password: string): Uint8Array {
  return createHash("sha256").update(password).digest();
}

/**
 * The rooms a server knows. An interface so that rooms spanning several
 * servers can replace the local implementation.
 */
export interface RoomRegistry {
  /** Why `password` would not get a newcomer into `name`, or null if it would. */
  check(name: string, password: string): JoinRefusal | null;
  /** Puts `peer` (in no room) into `name`, creating the room if needed. */
  join(peer: Peer, name: string, password: string): Room | JoinRefusal;
  /** Takes `peer` out of `room`, telling it and the others. */
  leave(peer: Peer, room: Room): void;
  /** Rooms visible with `password`: public ones, plus private ones it opens. */
  list(password: string): RoomCount[];
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

  /** The room called `name`, if it exists. */
  get(name: string): Room | undefined {
    return this.#rooms.get(name);
  }

  check(name: string, password: string): JoinRefusal | null {
    const room = this.#rooms.get(name);
    if (room === undefined) {
      return this.#rooms.size < this.#maxRooms ? null : {
        code: ErrorCode.TooManyRooms,
        text: `the server holds ${this.#maxRooms} rooms`,
      };
    }
    return room.admits(password) ? null : {
      code: ErrorCode.WrongPassword,
      text: `room ${name} needs its password`,
    };
  }

  join(peer: Peer, name: string, password: string): Room | JoinRefusal {
    const refusal = this.check(name, password);
    if (refusal !== null) return refusal;
    let room = this.#rooms.get(name);
    if (room === undefined) {
      room = new Room(name, password);
      this.#rooms.set(name, room);
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
      this.#rooms.delete(room.name);
    } else if (index === 0) {
      room.fanOut(
        encodeServerMessage({ kind: "master", id: room.master!.id }),
        null,
      );
    }
  }

  list(password: string): RoomCount[] {
    const visible: RoomCount[] = [];
    for (const room of this.#rooms.values()) {
      if (!room.isPrivate || (password !== "" && room.admits(password))) {
        visible.push({ name: room.name, count: room.members.length });
      }
    }
    return visible;
  }
}

/** Narrows a join result. */
export function isRefusal(result: Room | JoinRefusal): result is JoinRefusal {
  return !(result instanceof Room);
}
