/**
 * What a client knows of its session and room, kept from the lines it
 * receives (`0:`, `2:`, `4:`): its id, its room, the members in join order,
 * and the master. No I/O; the client feeds it every decoded line.
 *
 * @example
 * ```ts
 * import { RoomState } from "./room_state.ts";
 * const state = new RoomState();
 * state.apply({ kind: "welcome", id: 2 });
 * state.apply({ kind: "joined", id: 2, room: "lobby" });
 * state.apply({ kind: "joined", id: 1, room: "lobby" });
 * state.apply({ kind: "master", id: 1 });
 * console.assert(state.members.join() === "1,2" && state.master === 1);
 * ```
 * @module
 */
import type { ServerMessage } from "../protocol/mod.ts";

/** The session and room as last reported by the server. */
export class RoomState {
  #sessionId: number | null = null;
  #udpSecret: string | null = null;
  #room: string | null = null;
  #members: number[] = [];
  #master: number | null = null;
  /** Between our own `2:id:room` and the `4:` that ends the join sequence. */
  #joining = false;
  /** Members whose sessions are held for them (`6:<id>:away`). */
  readonly #away = new Set<number>();

  /** Our session id, or null when not logged in. */
  get sessionId(): number | null {
    return this.#sessionId;
  }

  /** The UDP secret of our login reply, or null (not logged in, or no UDP). */
  get udpSecret(): string | null {
    return this.#udpSecret;
  }

  /** The room we are in, or null. */
  get room(): string | null {
    return this.#room;
  }

  /** The room's members (us included) in the order they joined. */
  get members(): readonly number[] {
    return this.#members;
  }

  /** The room's master client, or null when unknown or not in a room. */
  get master(): number | null {
    return this.#master;
  }

  /** Members of the room that are away (their connection dropped). */
  get away(): ReadonlySet<number> {
    return this.#away;
  }

  /** The UDP secret changed: a resumed session gets a new one. */
  setUdpSecret(secret: string | null): void {
    this.#udpSecret = secret;
  }

  /** True while our join sequence is arriving (before its `4:`). */
  get joining(): boolean {
    return this.#joining;
  }

  /** Updates the state from one server message. */
  apply(msg: ServerMessage): void {
    switch (msg.kind) {
      case "welcome":
        this.#sessionId = msg.id;
        this.#udpSecret = msg.udpSecret ?? null;
        this.#clearRoom();
        return;
      case "logged-out":
        this.#sessionId = null;
        this.#udpSecret = null;
        this.#clearRoom();
        return;
      case "joined":
        return this.#joined(msg.id, msg.room);
      case "left":
        this.#away.delete(msg.id);
        if (msg.id === this.#sessionId) this.#clearRoom();
        else this.#members = this.#members.filter((id) => id !== msg.id);
        return;
      case "away":
        if (this.#members.includes(msg.id)) this.#away.add(msg.id);
        return;
      case "back":
        this.#away.delete(msg.id);
        return;
      case "master":
        if (this.#room === null) return;
        this.#master = msg.id;
        this.#joining = false;
        return;
      default:
        return;
    }
  }

  #joined(id: number, room: string): void {
    if (id === this.#sessionId) {
      this.#room = room;
      this.#members = [id];
      this.#master = null;
      this.#joining = true;
      return;
    }
    if (room !== this.#room || this.#members.includes(id)) return;
    if (this.#joining) {
      // Members already there come after our own line, in join order,
      // and all joined before us.
      this.#members.splice(this.#members.length - 1, 0, id);
    } else {
      this.#members.push(id);
    }
  }

  #clearRoom(): void {
    this.#away.clear();
    this.#room = null;
    this.#members = [];
    this.#master = null;
    this.#joining = false;
  }
}
