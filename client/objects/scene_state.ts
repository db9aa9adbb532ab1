/**
 * The replicated part of a scene: the object table, the room's members in
 * join order, and the scene's participants, changed only by the rules of
 * docs/network-objects.md ("Rules") applied to the room's ordered messages
 * and to updates. Every client applies the same messages in the same order
 * and so holds the same state; a joiner's replay goes through here too.
 *
 * @example
 * ```ts
 * import { SceneState } from "./scene_state.ts";
 * import { LocalOwner } from "./local_owner.ts";
 * import { ObjectTable } from "./object_table.ts";
 * import { resolveSceneOptions } from "./scene_options.ts";
 * const options = resolveSceneOptions({ sceneObjects: [{ type: "door", fields: { open: false } }] });
 * const table = new ObjectTable(100);
 * const outbox = { ordered: () => {}, update: () => {}, to: () => {} };
 * const local = new LocalOwner({ self: 1, options, outbox, table: () => table, updated: () => {}, created: () => {} });
 * const state = new SceneState(table, [1, 2], [], { self: 1, options, local, events: {}, ready: () => {} });
 * state.apply(2, { kind: "ready" }); // the first participant creates the scene objects
 * console.assert(table.get("-1-1")?.owner === 2);
 * state.depart(2);                   // and with nobody left, they go
 * console.assert(table.size === 0);
 * ```
 * @module
 */
import type { LocalOwner } from "./local_owner.ts";
import {
  describeFields,
  type ObjectDescription,
} from "./object_description.ts";
import { parseObjectId, sceneObjectId } from "./object_id.ts";
import type { ObjectState } from "./object_state.ts";
import type { ObjectTable } from "./object_table.ts";
import { sceneMaster } from "./ownership.ts";
import type { SceneMessage } from "./scene_message.ts";
import type { ResolvedSceneOptions } from "./scene_options.ts";

/** What the scene reports; every method optional. */
export interface SceneEvents {
  created?(state: ObjectState): void;
  updated?(state: ObjectState, changed: readonly string[]): void;
  owner?(state: ObjectState, previous: number): void;
  destroyed?(state: ObjectState): void;
}

/** Who we are and whom to tell. */
export interface SceneStateHooks {
  readonly self: number;
  readonly options: ResolvedSceneOptions;
  readonly local: LocalOwner;
  readonly events: SceneEvents;
  /** Our own `R` came back: we are a participant. */
  ready(): void;
}

/** Table, members and participants, kept by the rules. */
export class SceneState {
  readonly table: ObjectTable;
  #members: number[];
  readonly #participants: Set<number>;
  readonly #hooks: SceneStateHooks;
  #ignored = 0;

  /** The state a catch-up produced: its table, members and participants. */
  constructor(
    table: ObjectTable,
    members: readonly number[],
    participants: Iterable<number>,
    hooks: SceneStateHooks,
  ) {
    this.table = table;
    this.#members = [...members];
    this.#participants = new Set(participants);
    this.#hooks = hooks;
  }

  /** The participants in the room's join order. */
  get participants(): number[] {
    return this.#members.filter((id) => this.#participants.has(id));
  }

  /** The scene's master: the adopter of departed participants' objects. */
  get master(): number | null {
    return sceneMaster(this.#members, this.#participants);
  }

  /** Messages the rules refused as malformed or from outsiders. */
  get ignored(): number {
    return this.#ignored;
  }

  /** `id` joined the room. */
  addMember(id: number): void {
    if (!this.#members.includes(id)) this.#members.push(id);
  }

  /** `id` left the room: its objects are destroyed or adopted by the master. */
  depart(id: number): void {
    this.#members = this.#members.filter((m) => m !== id);
    if (!this.#participants.delete(id)) return;
    const adopter = this.master;
    const { destroyed, adopted } = this.table.depart(id, adopter);
    const { local, events } = this.#hooks;
    for (const state of destroyed) {
      local.lost(state.id);
      events.destroyed?.(state);
    }
    for (const state of adopted) events.owner?.(state, id);
    if (adopter === this.#hooks.self && adopted.length > 0) {
      const ids = adopted.map((s) => s.id);
      local.adopted(ids);
      local.sendFull(ids);
    }
  }

  /** Applies an ordered message or an update from `from`. */
  apply(from: number, msg: SceneMessage): void {
    if (!this.#members.includes(from)) {
      this.#ignored++;
      return;
    }
    const { local, events, self } = this.#hooks;
    switch (msg.kind) {
      case "ready":
        return this.#ready(from);
      case "instantiate":
        return this.#instantiated(from, msg.object);
      case "update":
        for (const entry of msg.entries) {
          try {
            const done = this.table.update(from, msg.seq, entry);
            if (done !== null) events.updated?.(done.state, done.changed);
          } catch {
            this.#ignored++; // the entry does not fit the object
          }
        }
        return;
      case "claim": {
        const state = this.#participants.has(from)
          ? this.table.claim(from, msg.id, msg.expected, msg.seq)
          : null;
        if (state !== null) {
          if (msg.expected === self) local.lost(msg.id);
          events.owner?.(state, msg.expected);
        }
        if (from === self) local.claimReturned(msg.id);
        return;
      }
      case "destroy": {
        const state = this.table.destroy(from, msg.id);
        if (state !== null) {
          local.lost(msg.id);
          events.destroyed?.(state);
        }
        if (from === self) local.destroyReturned(msg.id, state !== null);
        return;
      }
      default:
        return; // hellos and answers are the engine's
    }
  }

  #ready(id: number): void {
    if (this.#participants.has(id)) return;
    if (this.#participants.size === 0) this.#genesis(id);
    this.#participants.add(id);
    if (id === this.#hooks.self) this.#hooks.ready();
  }

  /** The first participant of a scene creates the declared scene objects. */
  #genesis(owner: number): void {
    this.#hooks.options.sceneObjects.forEach((spec, i) => {
      const state = this.table.add({
        id: sceneObjectId(i + 1),
        type: spec.type,
        boundToOwner: false,
        fields: describeFields(spec.fields),
      }, owner);
      if (state !== null) this.#hooks.events.created?.(state);
    });
  }

  #instantiated(from: number, object: ObjectDescription): void {
    if (
      !this.#participants.has(from) ||
      parseObjectId(object.id)?.creator !== from
    ) {
      this.#ignored++;
      return;
    }
    if (this.table.get(object.id) !== undefined) return; // ours, come back
    const state = this.table.add(object, from);
    if (state === null) this.#ignored++;
    else this.#hooks.events.created?.(state);
  }
}
