/**
 * The deployment's rooms, as one node serves them: a {@linkcode RoomRegistry}
 * whose joins and leaves are decided by scripts in Redis (one member list
 * per room, master = its head) and whose rooms deliver what comes back on
 * their channels (cluster_room.ts).
 *
 * A node subscribes to a room's channel before its first local member's
 * join script runs, so it hears that join and everything after it; it
 * unsubscribes once the room has no local member and no join on its way.
 * Declared rooms come from each node's own store, as on one server; their
 * passwords are checked on the node, their member limits in the script.
 *
 * @example
 * ```ts
 * import { ClusterRooms } from "./cluster_rooms.ts";
 * console.assert(typeof ClusterRooms === "function");
 * ```
 * @module
 */
import { createHash } from "node:crypto";
import { ErrorCode, type Limits, type RoomCount } from "../../protocol/mod.ts";
import type {
  DeclaredRoom,
  JoinRefusal,
  Room,
  RoomRegistry,
} from "../rooms/rooms.ts";
import type { Peer } from "../sessions/peer.ts";
import type { SessionRegistry } from "../sessions/sessions.ts";
import { ClusterRoom, type ClusterRoomHost } from "./cluster_room.ts";
import type { ClusterNode } from "./cluster_node.ts";
import { SCRIPTS } from "./scripts.ts";
import { highWaterOf } from "../connection/flow.ts";
import { UnavailableError } from "../sessions/session_ids.ts";

/** SHA-256 hex of an ad-hoc room's password; empty for none. */
function digest(password: string): string {
  return password === ""
    ? ""
    : createHash("sha256").update(password).digest("hex");
}

const UNAVAILABLE: JoinRefusal = {
  code: ErrorCode.Unavailable,
  text: "the deployment's shared store is unreachable; try again shortly",
};

/** Rooms shared by the nodes of a deployment. */
export class ClusterRooms implements RoomRegistry, ClusterRoomHost {
  readonly #node: ClusterNode;
  readonly #limits: Limits;
  readonly #local = new Map<string, ClusterRoom>();
  /** Unsubscribes still on their way, by room name. */
  readonly #leaving = new Map<string, Promise<void>>();
  #declared = new Map<string, DeclaredRoom>();
  #sessions: SessionRegistry | null = null;
  readonly maxLossyQueuedBytes: number;

  /** Rooms of `node`'s deployment. */
  constructor(node: ClusterNode, limits: Limits) {
    this.#node = node;
    this.#limits = limits;
    this.maxLossyQueuedBytes = highWaterOf(limits);
  }

  /** Where local members are found by id (set once the registry exists). */
  bind(sessions: SessionRegistry): void {
    this.#sessions = sessions;
  }

  /** Rooms with local members or joins on their way. */
  get size(): number {
    return this.#local.size;
  }

  /** Those rooms (the admin endpoint shows and acts on them). */
  values(): IterableIterator<ClusterRoom> {
    return this.#local.values();
  }

  /** The room `name` if it has local members or joins on their way. */
  get(name: string): ClusterRoom | undefined {
    return this.#local.get(name);
  }

  local(id: number): Peer | undefined {
    const session = this.#sessions?.get(id);
    return session?.active ? session : undefined;
  }

  declare(rooms: readonly DeclaredRoom[]): void {
    this.#declared = new Map(rooms.map((room) => [room.name, room]));
  }

  /**
   * A declared room's password is checked here (a slow hash, as on one
   * server); the rest (limits, an ad-hoc room's password) by a dry run of
   * the join script, so that a refused join is refused before the client
   * leaves its room. The join itself checks again.
   */
  async check(name: string, password: string): Promise<JoinRefusal | null> {
    const declared = this.#declared.get(name);
    if (declared !== undefined && !(await declared.lock.opens(password))) {
      return wrongPassword(name);
    }
    let reply: unknown;
    try {
      reply = await this.#node.bus.run(
        SCRIPTS.join,
        this.#joinArgs(name, 0, "", password, declared, true),
      );
    } catch (error) {
      if (error instanceof UnavailableError) return UNAVAILABLE;
      throw error;
    }
    return reply === "ok"
      ? null
      : refusal(`${reply}`, name, declared, this.#limits.maxRooms);
  }

  #joinArgs(
    name: string,
    id: number,
    username: string,
    password: string,
    declared: DeclaredRoom | undefined,
    dry: boolean,
  ): string[] {
    return [
      this.#node.keys.prefix,
      name,
      `${id}`,
      `${this.#node.id}`,
      username,
      declared === undefined ? digest(password) : "",
      declared === undefined ? "0" : "1",
      `${declared?.maxMembers ?? 0}`,
      `${this.#limits.maxRooms}`,
      `${this.#declared.size}`,
      dry ? "1" : "0",
    ];
  }

  async join(
    peer: Peer,
    name: string,
    password: string,
  ): Promise<Room | JoinRefusal> {
    const declared = this.#declared.get(name);
    // null: the lock was replaced since the check; the client may retry.
    if (declared !== undefined && declared.lock.opensNow(password) !== true) {
      return wrongPassword(name);
    }
    const room = this.#room(name);
    room.interest++;
    let reply: unknown;
    try {
      await room.ready;
      reply = await this.#node.bus.run(
        SCRIPTS.join,
        this.#joinArgs(
          name,
          peer.id,
          this.#username(peer),
          password,
          declared,
          false,
        ),
      );
    } catch {
      room.interest--;
      this.released(room);
      return UNAVAILABLE;
    }
    if (reply === "ok") return room;
    room.interest--;
    this.released(room);
    return refusal(`${reply}`, name, declared, this.#limits.maxRooms);
  }

  leave(peer: Peer, room: Room): void {
    if (!(room instanceof ClusterRoom)) return;
    room.interest--;
    if (this.#node.up) {
      this.#node.bus.fire(SCRIPTS.leave, [
        this.#node.keys.prefix,
        room.name,
        `${peer.id}`,
        `${this.#node.id}`,
        this.#username(peer),
      ]);
    }
    this.released(room);
  }

  async list(password: string): Promise<RoomCount[]> {
    const declared = [...this.#declared.values()];
    let reply: [unknown[], number[]];
    try {
      reply = await this.#node.bus.run(SCRIPTS.list, [
        this.#node.keys.prefix,
        ...declared.map((room) => room.name),
      ]) as [unknown[], number[]];
    } catch (error) {
      // Redis was lost: this session is being ended with 9:0:unavailable.
      if (error instanceof UnavailableError) return [];
      throw error;
    }
    const [adHoc, counts] = reply;
    const shown = await Promise.all(
      declared.map((room) =>
        !room.lock.isPrivate ||
        (password !== "" && room.lock.hasPassword && room.lock.opens(password))
      ),
    );
    const rooms: RoomCount[] = declared
      .filter((_, i) => shown[i])
      .map((room) => ({
        name: room.name,
        count: Number(counts[declared.indexOf(room)]),
      }));
    const key = password === "" ? null : digest(password);
    for (let i = 0; i < adHoc.length; i += 3) {
      const name = `${adHoc[i]}`;
      const lock = `${adHoc[i + 2]}`;
      if (this.#declared.has(name)) continue;
      if (lock !== "" && lock !== key) continue;
      rooms.push({ name, count: Number(adHoc[i + 1]) });
    }
    return rooms;
  }

  /** Forgets every local room (Redis was lost; its subscriptions with it). */
  reset(): void {
    for (const room of this.#local.values()) {
      room.members.length = 0;
      room.interest = 0;
    }
    this.#local.clear();
    this.#leaving.clear();
  }

  publish(room: ClusterRoom, data: Uint8Array): void | Promise<void> {
    this.#node.bus.publish(room.channel, data);
    return this.#node.bus.pressure();
  }

  released(room: ClusterRoom): void {
    if (room.interest > 0 || room.members.length > 0) return;
    if (this.#local.get(room.name) !== room) return;
    this.#local.delete(room.name);
    const gone = this.#node.bus.unsubscribe(room.channel, room.listener);
    this.#leaving.set(room.name, gone);
    gone.then(() => {
      if (this.#leaving.get(room.name) === gone) {
        this.#leaving.delete(room.name);
      }
    });
  }

  /** The local room `name`, subscribing to its channel if new here. */
  #room(name: string): ClusterRoom {
    let room = this.#local.get(name);
    if (room !== undefined) return room;
    const created = new ClusterRoom(
      name,
      this.#node.keys.roomChannel(name),
      this,
    );
    // A new subscription after an unsubscribe still on its way: in order.
    const before = this.#leaving.get(name) ?? Promise.resolve();
    created.ready = before.then(() =>
      this.#node.bus.subscribe(created.channel, created.listener)
    );
    created.ready.catch(() => {});
    this.#local.set(name, created);
    room = created;
    return room;
  }

  #username(peer: Peer): string {
    return this.#sessions?.get(peer.id)?.username ?? "";
  }
}

function wrongPassword(name: string): JoinRefusal {
  return {
    code: ErrorCode.WrongPassword,
    text: `room ${name} needs its password`,
  };
}

function refusal(
  code: string,
  name: string,
  declared: DeclaredRoom | undefined,
  maxRooms: number,
): JoinRefusal {
  switch (code) {
    case ErrorCode.RoomFull:
      return {
        code: ErrorCode.RoomFull,
        text: `room ${name} is full (${declared?.maxMembers} members)`,
      };
    case ErrorCode.TooManyRooms:
      return {
        code: ErrorCode.TooManyRooms,
        text: `the deployment holds ${maxRooms} rooms`,
      };
    case ErrorCode.WrongPassword:
      return wrongPassword(name);
    default:
      throw new Error(`unexpected answer from the join script: ${code}`);
  }
}
