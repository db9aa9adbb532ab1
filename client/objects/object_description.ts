/**
 * An object as the wire describes it in `I` and `S` messages: id, type
 * name, flags, and its fields in order (name, type, value). The order
 * fixes each field's bit in an update's change mask.
 *
 * Tokens: `<id> <type> <flags> <count> <name>/<t>=<value>…`, e.g.
 * `7-1 avatar 1 2 pos/v=0,1.5,0 name/s=ada`.
 *
 * @example
 * ```ts
 * import { describeFields, encodeDescription } from "./object_description.ts";
 * const fields = describeFields({ pos: [0, 1.5, 0], name: "ada" });
 * const tokens = encodeDescription({ id: "7-1", type: "avatar", boundToOwner: true, fields });
 * console.assert(tokens.join(" ") === "7-1 avatar 1 2 pos/v=0,1.5,0 name/s=ada");
 * ```
 * @module
 */
import { InvalidArgumentError } from "../errors.ts";
import {
  checkedValue,
  type Fields,
  FieldType,
  fieldTypeOf,
  type FieldValue,
} from "./field_value.ts";
import { parseObjectId } from "./object_id.ts";
import { WireFormatError } from "./scene_errors.ts";
import { decodeValue, encodeValue } from "./value_codec.ts";

/** Fields one object may have: an update's change mask has 32 bits. */
export const MAX_FIELDS = 32;

/** Field names: a letter or `_`, then letters, digits or `_`; 1 to 32 bytes. */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

/** Type names: a letter or `_`, then letters, digits, `_`, `.` or `-`; 1 to 64 bytes. */
export const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** Flag bit: the object is destroyed when its owner leaves. */
const BOUND_FLAG = 1;
/** Hex digits in either case (written in lowercase). */
const FLAGS = /^[0-9a-fA-F]{1,8}$/;
const COUNT = /^(?:0|[1-9]\d?)$/;
const TYPES: ReadonlySet<string> = new Set(Object.values(FieldType));

/** One field: its name, type and value. */
export interface FieldEntry {
  readonly name: string;
  readonly type: FieldType;
  readonly value: FieldValue;
}

/** An object as `I` and `S` carry it. */
export interface ObjectDescription {
  readonly id: string;
  readonly type: string;
  /** Destroyed when its owner leaves, instead of adopted by the master. */
  readonly boundToOwner: boolean;
  readonly fields: readonly FieldEntry[];
}

/**
 * Field entries for `fields` (in their key order), each value checked
 * and copied.
 *
 * @throws {InvalidArgumentError} for a bad name, value, or too many fields.
 */
export function describeFields(fields: Fields): FieldEntry[] {
  const names = Object.keys(fields);
  if (names.length > MAX_FIELDS) {
    throw new InvalidArgumentError(
      `${names.length} fields, over the limit of ${MAX_FIELDS}`,
    );
  }
  return names.map((name) => {
    if (!FIELD_NAME.test(name)) {
      throw new InvalidArgumentError(
        `field name ${JSON.stringify(name)} must match ${FIELD_NAME}`,
      );
    }
    const value = fields[name];
    const type = fieldTypeOf(value);
    return { name, type, value: checkedValue(name, type, value) };
  });
}

/** Throws unless `type` can name an object type. */
export function checkTypeName(type: string): void {
  if (!TYPE_NAME.test(type)) {
    throw new InvalidArgumentError(
      `type name ${JSON.stringify(type)} must match ${TYPE_NAME}`,
    );
  }
}

/** The tokens of `object`. */
export function encodeDescription(object: ObjectDescription): string[] {
  const tokens = [
    object.id,
    object.type,
    object.boundToOwner ? "1" : "0",
    String(object.fields.length),
  ];
  for (const { name, type, value } of object.fields) {
    tokens.push(`${name}/${type}=${encodeValue(type, value)}`);
  }
  return tokens;
}

/**
 * Reads a description from `tokens` at `at`; returns it and the index
 * after it.
 *
 * @throws {WireFormatError} when the tokens do not describe an object.
 */
export function decodeDescription(
  tokens: readonly string[],
  at: number,
): { readonly object: ObjectDescription; readonly next: number } {
  const [id, type, flags, count] = tokens.slice(at, at + 4);
  if (count === undefined) throw new WireFormatError("object cut short");
  if (parseObjectId(id!) === null) {
    throw new WireFormatError(`${JSON.stringify(id)} is not an object id`);
  }
  if (!TYPE_NAME.test(type!)) {
    throw new WireFormatError(`${JSON.stringify(type)} is not a type name`);
  }
  if (!FLAGS.test(flags!)) {
    throw new WireFormatError(`${JSON.stringify(flags)} is not hex flags`);
  }
  if (!COUNT.test(count) || Number(count) > MAX_FIELDS) {
    throw new WireFormatError(`${JSON.stringify(count)} is not a field count`);
  }
  const n = Number(count);
  const fields: FieldEntry[] = [];
  const seen = new Set<string>();
  for (let i = at + 4; i < at + 4 + n; i++) {
    const token = tokens[i];
    if (token === undefined) throw new WireFormatError("fields cut short");
    const field = decodeField(token);
    if (seen.has(field.name)) {
      throw new WireFormatError(`field ${field.name} given twice`);
    }
    seen.add(field.name);
    fields.push(field);
  }
  const boundToOwner = (parseInt(flags!, 16) & BOUND_FLAG) !== 0;
  return {
    object: { id: id!, type: type!, boundToOwner, fields },
    next: at + 4 + n,
  };
}

function decodeField(token: string): FieldEntry {
  const slash = token.indexOf("/");
  const name = token.slice(0, slash);
  const type = token.slice(slash + 1, slash + 2);
  if (
    slash < 1 || !FIELD_NAME.test(name) || !TYPES.has(type) ||
    token[slash + 2] !== "="
  ) {
    throw new WireFormatError(
      `${JSON.stringify(token)} is not name/type=value`,
    );
  }
  const fieldType = type as FieldType;
  return {
    name,
    type: fieldType,
    value: decodeValue(fieldType, token.slice(slash + 3)),
  };
}
