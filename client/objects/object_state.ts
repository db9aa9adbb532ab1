/**
 * One network object as every client holds it: id, type, owner, field
 * schema and values, and the newest update sequence number seen from each
 * sender (so that a late or reordered UDP datagram never rolls it back).
 *
 * @example
 * ```ts
 * import { ObjectState } from "./object_state.ts";
 * import { describeFields } from "./object_description.ts";
 * const state = new ObjectState({
 *   id: "7-1", type: "ball", boundToOwner: false,
 *   fields: describeFields({ pos: [0, 0, 0], spin: 0 }),
 * }, 7);
 * state.applyTokens(0b10, ["3.5"]);
 * console.assert(state.get("spin") === 3.5 && state.fullMask === 0b11);
 * ```
 * @module
 */
import type { FieldType, FieldValue } from "./field_value.ts";
import type { ObjectDescription } from "./object_description.ts";
import { decodeValue, encodeValue } from "./value_codec.ts";
import { WireFormatError } from "./scene_errors.ts";

/** An object's replicated state. */
export class ObjectState {
  readonly id: string;
  readonly type: string;
  readonly boundToOwner: boolean;
  /** Field names in instantiate order: field i is mask bit i. */
  readonly names: readonly string[];
  readonly types: readonly FieldType[];
  readonly #index: ReadonlyMap<string, number>;
  readonly #values: FieldValue[];
  /** The confirmed owner's session id. */
  owner: number;
  /** Newest update sequence number applied, per sender. */
  readonly seqs = new Map<number, number>();

  /** An object as `description` gives it, owned by `owner`. */
  constructor(description: ObjectDescription, owner: number) {
    this.id = description.id;
    this.type = description.type;
    this.boundToOwner = description.boundToOwner;
    this.names = description.fields.map((f) => f.name);
    this.types = description.fields.map((f) => f.type);
    this.#index = new Map(this.names.map((name, i) => [name, i]));
    this.#values = description.fields.map((f) => f.value);
    this.owner = owner;
  }

  /** The mask with every field's bit set. */
  get fullMask(): number {
    return this.names.length === 32 ? 0xffffffff : (1 << this.names.length) - 1;
  }

  /** The field's index, or -1 when there is no such field. */
  indexOf(name: string): number {
    return this.#index.get(name) ?? -1;
  }

  /** A field's value by name (undefined when there is no such field). */
  get(name: string): FieldValue | undefined {
    const i = this.#index.get(name);
    return i === undefined ? undefined : this.#values[i];
  }

  /** A field's value by index. */
  at(index: number): FieldValue {
    return this.#values[index]!;
  }

  /** Sets field `index` to a value already checked against its type. */
  setAt(index: number, value: FieldValue): void {
    this.#values[index] = value;
  }

  /**
   * Applies the value tokens of an update with `mask`; returns the names of
   * the fields that changed. Nothing is applied if a token is bad.
   *
   * @throws {WireFormatError} for a bit beyond the fields, or a bad token.
   */
  applyTokens(mask: number, tokens: readonly string[]): string[] {
    if ((mask & ~this.fullMask) !== 0) {
      throw new WireFormatError(
        `mask ${mask.toString(16)} names fields ${this.id} does not have`,
      );
    }
    const decoded: [number, FieldValue][] = [];
    let t = 0;
    for (let i = 0; i < this.names.length; i++) {
      if ((mask >>> i) & 1) {
        decoded.push([i, decodeValue(this.types[i]!, tokens[t++]!)]);
      }
    }
    for (const [i, value] of decoded) this.#values[i] = value;
    return decoded.map(([i]) => this.names[i]!);
  }

  /** The value tokens of the fields in `mask`, lowest bit first. */
  tokens(mask: number, value = (i: number) => this.#values[i]!): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      if ((mask >>> i) & 1) out.push(encodeValue(this.types[i]!, value(i)));
    }
    return out;
  }

  /** The object as `I` and `S` describe it, with its current values. */
  describe(value = (i: number) => this.#values[i]!): ObjectDescription {
    return {
      id: this.id,
      type: this.type,
      boundToOwner: this.boundToOwner,
      fields: this.names.map((name, i) => ({
        name,
        type: this.types[i]!,
        value: value(i),
      })),
    };
  }

  /** Field values by name (a fresh object). */
  fields(value = (i: number) => this.#values[i]!): Record<string, FieldValue> {
    return Object.fromEntries(this.names.map((name, i) => [name, value(i)]));
  }
}
