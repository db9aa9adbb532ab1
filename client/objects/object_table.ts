/**
 * A room's object table and the rules every client applies to it, in the
 * same order, so that all tables agree (docs/network-objects.md, "Rules"):
 *
 * - an update is applied only if its sender is the object's owner and its
 *   sequence number is newer than the last one applied from that sender;
 * - a claim succeeds only if the owner is still the one the claimant saw
 *   (first claim wins), and then the claimant owns the object;
 * - a destroy is applied only if its sender is the owner;
 * - when a participant leaves, its objects bound to it are destroyed and
 *   the others are adopted by the scene's master (destroyed when there is
 *   no participant left).
 *
 * No I/O: the scene engine feeds it and turns the results into events.
 *
 * @example
 * ```ts
 * import { ObjectTable } from "./object_table.ts";
 * import { describeFields } from "./object_description.ts";
 * const table = new ObjectTable(100);
 * table.add({ id: "7-1", type: "ball", boundToOwner: false, fields: describeFields({ x: 0 }) }, 7);
 * console.assert(table.claim(8, "7-1", 7, 0)?.owner === 8);
 * console.assert(table.claim(9, "7-1", 7, 0) === null); // 7 no longer owns it
 * ```
 * @module
 */
import type { ObjectDescription } from "./object_description.ts";
import { ObjectState } from "./object_state.ts";
import type { UpdateEntry } from "./scene_message.ts";

/** What a departure did to the leaver's objects. */
export interface Departure {
  readonly destroyed: readonly ObjectState[];
  /** Adopted objects (their `owner` is now the adopter). */
  readonly adopted: readonly ObjectState[];
}

/** The objects of one scene, by id. */
export class ObjectTable {
  readonly #max: number;
  readonly #objects = new Map<string, ObjectState>();

  /** A table of at most `maxObjects` objects. */
  constructor(maxObjects: number) {
    this.#max = maxObjects;
  }

  /** Number of objects. */
  get size(): number {
    return this.#objects.size;
  }

  /** True when the table holds its maximum. */
  get full(): boolean {
    return this.#objects.size >= this.#max;
  }

  /** The object `id`, if present. */
  get(id: string): ObjectState | undefined {
    return this.#objects.get(id);
  }

  /** Every object, in no particular order. */
  values(): IterableIterator<ObjectState> {
    return this.#objects.values();
  }

  /**
   * Adds an object owned by `owner`; null when the id is taken or the
   * table is full (the caller decides what that means).
   */
  add(object: ObjectDescription, owner: number): ObjectState | null {
    if (this.#objects.has(object.id) || this.full) return null;
    const state = new ObjectState(object, owner);
    this.#objects.set(state.id, state);
    return state;
  }

  /** Removes `id`; returns the removed object. */
  remove(id: string): ObjectState | undefined {
    const state = this.#objects.get(id);
    this.#objects.delete(id);
    return state;
  }

  /**
   * Applies one entry of an update from `from` with sequence `seq`; returns
   * the object and the changed field names, or null when the rules refuse
   * it (unknown object, sender not the owner, not newer).
   *
   * @throws {WireFormatError} when the entry does not fit the object.
   */
  update(
    from: number,
    seq: number,
    entry: UpdateEntry,
  ): { state: ObjectState; changed: string[] } | null {
    const state = this.#objects.get(entry.id);
    if (state === undefined || state.owner !== from) return null;
    if (seq <= (state.seqs.get(from) ?? -1)) return null;
    const changed = state.applyTokens(entry.mask, entry.values);
    state.seqs.set(from, seq);
    return { state, changed };
  }

  /**
   * Applies a claim by `from` that saw `expected` as the owner; returns the
   * object when the claim succeeds, else null. Updates from the claimant up
   * to `seq` are older than the claim and will not apply.
   */
  claim(
    from: number,
    id: string,
    expected: number,
    seq: number,
  ): ObjectState | null {
    const state = this.#objects.get(id);
    if (state === undefined || state.owner !== expected) return null;
    if (expected === from) return null;
    state.owner = from;
    state.seqs.set(from, seq);
    return state;
  }

  /** Applies a destroy by `from`; returns the object when it was the owner's. */
  destroy(from: number, id: string): ObjectState | null {
    const state = this.#objects.get(id);
    if (state === undefined || state.owner !== from) return null;
    this.#objects.delete(id);
    return state;
  }

  /**
   * Applies the departure of participant `leaver`: its bound objects are
   * destroyed, the rest adopted by `adopter` (destroyed when null).
   */
  depart(leaver: number, adopter: number | null): Departure {
    const destroyed: ObjectState[] = [];
    const adopted: ObjectState[] = [];
    for (const state of this.#objects.values()) {
      state.seqs.delete(leaver);
      if (state.owner !== leaver) continue;
      if (state.boundToOwner || adopter === null) {
        this.#objects.delete(state.id);
        destroyed.push(state);
      } else {
        state.owner = adopter;
        adopted.push(state);
      }
    }
    return { destroyed, adopted };
  }
}
