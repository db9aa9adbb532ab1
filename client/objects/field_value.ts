/**
 * The values a network object's fields hold: numbers, strings, booleans,
 * byte arrays and vectors of numbers. A field's type is fixed when its
 * object is instantiated, from the value it is given then.
 *
 * @example
 * ```ts
 * import { fieldTypeOf, vec3 } from "./field_value.ts";
 * console.assert(fieldTypeOf(vec3(1, 2, 3)) === "v");
 * console.assert(fieldTypeOf("ada") === "s");
 * ```
 * @module
 */
import { InvalidArgumentError } from "../errors.ts";

/** A vector of numbers (a position, a rotation, a colour). */
export type Vector = readonly number[];

/** A field's value. */
export type FieldValue = number | string | boolean | Uint8Array | Vector;

/** Field values by field name, as given to `instantiate`. */
export type Fields = Readonly<Record<string, FieldValue>>;

/** The one-letter field types of the wire format. */
export const FieldType = {
  Number: "n",
  String: "s",
  Boolean: "b",
  Bytes: "x",
  Vector: "v",
} as const;

/** One of the {@linkcode FieldType} letters. */
export type FieldType = typeof FieldType[keyof typeof FieldType];

/** Components a vector may have. */
export const MAX_VECTOR_LENGTH = 16;

/** A 2-vector, frozen. */
export function vec2(x: number, y: number): Vector {
  return Object.freeze([x, y]);
}

/** A 3-vector (a position), frozen. */
export function vec3(x: number, y: number, z: number): Vector {
  return Object.freeze([x, y, z]);
}

/** A 4-vector (a rotation quaternion x, y, z, w), frozen. */
export function vec4(x: number, y: number, z: number, w: number): Vector {
  return Object.freeze([x, y, z, w]);
}

/**
 * The type of `value`.
 *
 * @throws {InvalidArgumentError} for anything but the five kinds of value.
 */
export function fieldTypeOf(value: unknown): FieldType {
  switch (typeof value) {
    case "number":
      return FieldType.Number;
    case "string":
      return FieldType.String;
    case "boolean":
      return FieldType.Boolean;
  }
  if (value instanceof Uint8Array) return FieldType.Bytes;
  if (Array.isArray(value)) return FieldType.Vector;
  throw new InvalidArgumentError(
    `a field holds a number, string, boolean, Uint8Array or number[]; got ${
      value === null ? "null" : typeof value
    }`,
  );
}

/**
 * A copy of `value` checked against `type`, safe to keep: vectors are
 * copied and frozen, byte arrays copied.
 *
 * @throws {InvalidArgumentError} when `value` is not of `type`, a vector
 *   has a component that is not a number or more than
 *   {@linkcode MAX_VECTOR_LENGTH} of them, or a string is not well-formed
 *   UTF-16 (a lone surrogate cannot be sent as UTF-8).
 */
export function checkedValue(
  name: string,
  type: FieldType,
  value: unknown,
): FieldValue {
  const actual = fieldTypeOf(value);
  if (actual !== type) {
    throw new InvalidArgumentError(
      `field ${name} is of type ${typeName(type)}, not ${typeName(actual)}`,
    );
  }
  if (typeof value === "string" && !value.isWellFormed()) {
    throw new InvalidArgumentError(
      `field ${name}: string has a lone surrogate`,
    );
  }
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) {
    if (value.length > MAX_VECTOR_LENGTH) {
      throw new InvalidArgumentError(
        `field ${name}: vector of ${value.length} components, over ${MAX_VECTOR_LENGTH}`,
      );
    }
    if (!value.every((c) => typeof c === "number")) {
      throw new InvalidArgumentError(`field ${name}: vector of non-numbers`);
    }
    return Object.freeze([...value]);
  }
  return value as FieldValue;
}

/** True when `a` and `b` are the same value (`-0` and `0` differ, NaN equals NaN). */
export function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (a instanceof Uint8Array) {
    return b instanceof Uint8Array && a.length === b.length &&
      a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length &&
      a.every((x, i) => Object.is(x, b[i]));
  }
  return Object.is(a, b);
}

/** The type's name for people. */
export function typeName(type: FieldType): string {
  switch (type) {
    case FieldType.Number:
      return "number";
    case FieldType.String:
      return "string";
    case FieldType.Boolean:
      return "boolean";
    case FieldType.Bytes:
      return "bytes";
    case FieldType.Vector:
      return "vector";
  }
}
