/**
 * A network object as a game handles it: read its fields, and — while this
 * client owns it (or has claimed it) — change them. Changes are collected
 * and sent at the scene's next tick.
 *
 * @example
 * ```ts ignore
 * import { NetworkScene, vec3 } from "../mod.ts";
 * const scene = await NetworkScene.join(client, "lobby");
 * const ball = scene.instantiate("ball", { pos: vec3(0, 1, 0), color: "red" });
 * ball.set("pos", vec3(0, 2, 0));
 * console.log(ball.id, ball.owner === scene.self, ball.get("color"));
 * ```
 * @module
 */
import { InvalidArgumentError } from "../errors.ts";
import type { FieldValue } from "./field_value.ts";
import type { LocalOwner } from "./local_owner.ts";
import type { ObjectState } from "./object_state.ts";

/** What a handle reads its object from. */
export interface ObjectHost {
  /** The object's current state, undefined once destroyed. */
  state(id: string): ObjectState | undefined;
  readonly local: LocalOwner;
}

/** A handle on one object of a scene. */
export class NetworkObject {
  /** `<creatorId>-<counter>`, or `-1-<n>` for a scene object. */
  readonly id: string;
  /** The type name given to `instantiate`. */
  readonly type: string;
  /** Destroyed when its owner leaves, instead of adopted by the master. */
  readonly boundToOwner: boolean;
  /** The field names, in the order of their change-mask bits. */
  readonly fieldNames: readonly string[];
  readonly #host: ObjectHost;
  #last: ObjectState;

  /** A handle for `state`, read through `host`. */
  constructor(state: ObjectState, host: ObjectHost) {
    this.id = state.id;
    this.type = state.type;
    this.boundToOwner = state.boundToOwner;
    this.fieldNames = state.names;
    this.#host = host;
    this.#last = state;
  }

  /** True once the object has left the scene. */
  get destroyed(): boolean {
    return this.#host.state(this.id) === undefined;
  }

  /** The owner as every client agrees, by the room's order (the last known one once destroyed). */
  get owner(): number {
    return this.#state().owner;
  }

  /** True when this client owns the object or has a claim on it in flight. */
  get isMine(): boolean {
    const state = this.#host.state(this.id);
    return state !== undefined && this.#host.local.acts(state);
  }

  /**
   * A field's value (with this client's changes while its claim is in
   * flight). Vectors are frozen; do not change a returned byte array.
   *
   * @throws {InvalidArgumentError} when there is no such field.
   */
  get(name: string): FieldValue {
    const state = this.#state();
    const index = state.indexOf(name);
    if (index < 0) {
      throw new InvalidArgumentError(`object ${this.id} has no field ${name}`);
    }
    return this.#host.local.value(state, index);
  }

  /** Every field's value by name (a fresh object). */
  fields(): Record<string, FieldValue> {
    const state = this.#state();
    return state.fields((i) => this.#host.local.value(state, i));
  }

  /**
   * Changes a field; sent with the next tick, if it differs.
   *
   * @throws {NotOwnerError} unless this client owns or has claimed the object.
   * @throws {UnknownObjectError} once the object is destroyed.
   * @throws {InvalidArgumentError} for an unknown field or a value of another type.
   */
  set(name: string, value: FieldValue): this {
    this.#host.local.set(this.id, name, value);
    return this;
  }

  #state(): ObjectState {
    const state = this.#host.state(this.id);
    if (state !== undefined) this.#last = state;
    return this.#last;
  }

  /** The object as JSON: id, type, owner and fields. */
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      type: this.type,
      owner: this.owner,
      boundToOwner: this.boundToOwner,
      fields: this.fields(),
    };
  }
}
