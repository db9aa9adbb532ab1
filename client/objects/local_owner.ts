/**
 * This client as an owner: its field changes, claims and destroys on their
 * way, and what it sends — updates each tick (only changed fields, many
 * objects per line), full updates when it gains an object, and its objects
 * to a joiner.
 *
 * @example
 * ```ts
 * import { LocalOwner } from "./local_owner.ts";
 * import { ObjectTable } from "./object_table.ts";
 * import { describeFields } from "./object_description.ts";
 * import { resolveSceneOptions } from "./scene_options.ts";
 * const table = new ObjectTable(10);
 * table.add({ id: "1-1", type: "ball", boundToOwner: false, fields: describeFields({ x: 0, y: 0 }) }, 1);
 * const sent: string[] = [];
 * const local = new LocalOwner({
 *   self: 1, options: resolveSceneOptions(), table: () => table, updated: () => {}, created: () => {},
 *   outbox: { ordered: () => {}, update: (p) => sent.push(p), to: () => {} },
 * });
 * local.set("1-1", "y", 2);
 * local.sendDue(0);
 * console.assert(sent[0] === "U 1 1-1 2 2"); // seq 1, object 1-1, mask 0b10, y = 2
 * ```
 * @module
 */
import { InvalidArgumentError } from "../errors.ts";
import {
  checkedValue,
  type Fields,
  FieldType,
  type FieldValue,
  sameValue,
} from "./field_value.ts";
import { utf8Length } from "./message_packer.ts";
import {
  checkTypeName,
  describeFields,
  encodeDescription,
  type ObjectDescription,
} from "./object_description.ts";
import { objectId, parseObjectId } from "./object_id.ts";
import type { ObjectState } from "./object_state.ts";
import type { ObjectTable } from "./object_table.ts";
import { OwnerSender } from "./owner_sender.ts";
import { PendingClaims } from "./ownership.ts";
import {
  NotOwnerError,
  TooManyObjectsError,
  UnknownObjectError,
} from "./scene_errors.ts";
import type { UpdateEntry } from "./scene_message.ts";
import type { ResolvedSceneOptions } from "./scene_options.ts";
import type { SceneOutbox } from "./scene_outbox.ts";
import { UpdateBatcher } from "./update_batcher.ts";

/** What a {@linkcode LocalOwner} needs. */
export interface LocalOwnerInit {
  readonly self: number;
  readonly options: ResolvedSceneOptions;
  readonly outbox: SceneOutbox;
  /** The current table (the engine swaps it once caught up). */
  table(): ObjectTable;
  /** Reports fields whose visible value changed (a lost claim's overlay dropped). */
  updated(state: ObjectState, changed: readonly string[]): void;
  /** Reports an object we created. */
  created(state: ObjectState): void;
}

/** Our side of ownership. */
export class LocalOwner {
  readonly #init: LocalOwnerInit;
  readonly #self: number;
  readonly #claims = new PendingClaims();
  readonly #destroys = new Map<string, ((done: boolean) => void)[]>();
  readonly #batcher = new UpdateBatcher();
  readonly #send: OwnerSender;
  #counter = 0;

  /** Our side of a scene. */
  constructor(init: LocalOwnerInit) {
    this.#init = init;
    this.#self = init.self;
    this.#send = new OwnerSender(init.self, init.options.limits, init.outbox);
  }

  /** True when nothing of ours is waiting: no changes, claims, destroys or reliable updates. */
  get idle(): boolean {
    return this.#batcher.idle && this.#claims.size === 0 &&
      this.#destroys.size === 0;
  }

  /** Continues our id counter after the highest of our ids in `table`. */
  startCounter(table: ObjectTable): void {
    for (const state of table.values()) {
      const parts = parseObjectId(state.id);
      if (parts?.creator === this.#self && parts.counter > this.#counter) {
        this.#counter = parts.counter;
      }
    }
  }

  /**
   * Creates an object owned by us and sends it to the room (`I` in `3:3`).
   *
   * @throws {InvalidArgumentError} for a bad type name or fields.
   * @throws {TooManyObjectsError} when the scene is full.
   */
  instantiate(type: string, fields: Fields, boundToOwner: boolean) {
    checkTypeName(type);
    const entries = describeFields(fields);
    const table = this.#init.table();
    if (table.full) {
      throw new TooManyObjectsError(this.#init.options.limits.maxObjects);
    }
    const id = objectId(this.#self, this.#counter + 1);
    const object = { id, type, boundToOwner, fields: entries };
    this.#checkBytes(object);
    this.#counter++;
    const state = table.add(object, this.#self)!;
    this.#send.ordered({ kind: "instantiate", object });
    this.#init.created(state);
    return state;
  }

  /** True when we own `state` or have a claim on it in flight. */
  acts(state: ObjectState): boolean {
    return state.owner === this.#self || this.#claims.has(state.id);
  }

  /** A field's value as we see it: our claim's overlay first. */
  value(state: ObjectState, index: number): FieldValue {
    return this.#claims.overlay(state.id)?.get(index) ?? state.at(index);
  }

  /**
   * Sets a field of an object we act as owner of; it is sent at the next tick.
   *
   * @throws {UnknownObjectError} | {NotOwnerError} | {InvalidArgumentError}
   */
  set(id: string, name: string, value: FieldValue): void {
    const state = this.#state(id);
    if (!this.acts(state)) throw new NotOwnerError(id, `set ${name} of`);
    const index = state.indexOf(name);
    if (index < 0) {
      throw new InvalidArgumentError(`object ${id} has no field ${name}`);
    }
    const type = state.types[index]!;
    const checked = checkedValue(name, type, value);
    if (sameValue(checked, this.value(state, index))) return;
    if (type === FieldType.String || type === FieldType.Bytes) {
      this.#checkSize(state, index, checked);
    }
    const overlay = state.owner === this.#self
      ? undefined
      : this.#claims.overlay(id);
    if (overlay === undefined) state.setAt(index, checked);
    else overlay.set(index, checked);
    this.#batcher.mark(id, index);
  }

  /** Claims `id` through the room's order; resolves true when we own it after. */
  takeOwnership(id: string): Promise<boolean> {
    const state = this.#state(id);
    if (this.#claims.has(id)) return this.#claims.start(id);
    if (state.owner === this.#self) return Promise.resolve(true);
    this.#send.ordered({
      kind: "claim",
      id,
      expected: state.owner,
      seq: this.#send.seq,
    });
    return this.#claims.start(id);
  }

  /** Destroys `id` through the room's order; resolves true when it was applied. */
  destroy(id: string): Promise<boolean> {
    const state = this.#state(id);
    if (!this.acts(state)) throw new NotOwnerError(id, "destroy");
    this.#send.ordered({ kind: "destroy", id });
    const { promise, resolve } = Promise.withResolvers<boolean>();
    const waiters = this.#destroys.get(id) ?? [];
    waiters.push(resolve);
    this.#destroys.set(id, waiters);
    return promise;
  }

  /** Our claim on `id` came back: keep our changes if we own it, else drop them. */
  claimReturned(id: string): void {
    const claim = this.#claims.finish(id);
    if (claim === undefined) return;
    const state = this.#init.table().get(id);
    const owned = state?.owner === this.#self;
    if (state !== undefined && owned) {
      for (const [index, value] of claim.overlay) state.setAt(index, value);
      this.sendFull([id]);
    } else {
      this.#batcher.forget(id);
      if (state !== undefined && claim.overlay.size > 0) {
        this.#init.updated(
          state,
          [...claim.overlay.keys()].map((i) => state.names[i]!),
        );
      }
    }
    claim.settle(owned);
  }

  /**
   * We adopted `ids` (their owner left; we are the master). A claim of ours
   * on one of them still in flight can no longer win (the owner it expects
   * is gone), but we own the object now: the values we set under the claim
   * become its values, and what we set from now on goes to it directly.
   */
  adopted(ids: readonly string[]): void {
    const table = this.#init.table();
    for (const id of ids) {
      const overlay = this.#claims.overlay(id);
      const state = table.get(id);
      if (overlay === undefined || state === undefined) continue;
      for (const [index, value] of overlay) state.setAt(index, value);
      overlay.clear();
    }
  }

  /** Our destroy of `id` came back, applied or not. */
  destroyReturned(id: string, applied: boolean): void {
    const waiters = this.#destroys.get(id);
    const resolve = waiters?.shift();
    if (waiters?.length === 0) this.#destroys.delete(id);
    resolve?.(applied);
  }

  /** `id` is no longer ours (claimed by another, or destroyed). */
  lost(id: string): void {
    this.#batcher.forget(id);
  }

  /** Sends what is due at `now`: changed fields, then reliable updates. */
  sendDue(now: number): void {
    const table = this.#init.table();
    const entries: UpdateEntry[] = [];
    for (const [id, mask] of this.#batcher.take()) {
      const state = table.get(id);
      if (state !== undefined && this.acts(state)) {
        entries.push(this.#entry(state, mask));
      }
    }
    const { channel, reliableAfterMs } = this.#init.options;
    const lossy = this.#send.updates(entries, channel);
    if (channel === "udp") {
      this.#batcher.sentUnreliably(lossy, now);
      this.sendFull(this.#batcher.dueReliable(now, reliableAfterMs));
    }
  }

  /** Sends every field of `ids` (ours) over TCP. */
  sendFull(ids: readonly string[]): void {
    const table = this.#init.table();
    const entries: UpdateEntry[] = [];
    for (const id of ids) {
      const state = table.get(id);
      if (state === undefined || !this.acts(state)) continue;
      this.#batcher.forget(id);
      entries.push(this.#entry(state, state.fullMask));
    }
    this.#send.updates(entries, "tcp");
  }

  /** Answers `to`'s hello `tag`: our objects, then the end with the participants. */
  answer(to: number, tag: number, participants: readonly number[]): void {
    const ours: ObjectDescription[] = [];
    for (const state of this.#init.table().values()) {
      if (state.owner === this.#self) ours.push(state.describe());
    }
    this.#send.answer(to, tag, ours, participants);
  }

  /** The scene ended: claims and destroys resolve false. */
  abandon(): void {
    this.#claims.abandon();
    for (const waiters of this.#destroys.values()) {
      for (const resolve of waiters) resolve(false);
    }
    this.#destroys.clear();
  }

  #entry(state: ObjectState, mask: number): UpdateEntry {
    return {
      id: state.id,
      mask,
      values: state.tokens(mask, (i) => this.value(state, i)),
    };
  }

  #state(id: string): ObjectState {
    const state = this.#init.table().get(id);
    if (state === undefined) throw new UnknownObjectError(id);
    return state;
  }

  #checkSize(state: ObjectState, index: number, value: FieldValue): void {
    this.#checkBytes(
      state.describe((i) => i === index ? value : this.value(state, i)),
    );
  }

  #checkBytes(object: ObjectDescription): void {
    const bytes = utf8Length(encodeDescription(object).join(" "));
    const max = this.#init.options.limits.maxObjectBytes;
    if (bytes > max) {
      throw new InvalidArgumentError(
        `object ${object.id} would be ${bytes} bytes, over maxObjectBytes (${max})`,
      );
    }
  }
}
