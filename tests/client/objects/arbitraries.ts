/** fast-check arbitraries for field values and scene messages. */
import fc from "fast-check";
import {
  FieldType,
  type FieldValue,
  type SceneMessage,
} from "../../../client/mod.ts";
import type { FieldEntry } from "../../../client/objects/object_description.ts";
import { encodeValue } from "../../../client/objects/value_codec.ts";

/** Records with a plain prototype, as the decoder builds them. */
function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) {
  return fc.record(model, { noNullPrototype: true });
}

/** A value of each field type. */
export const valueOf: Record<FieldType, fc.Arbitrary<FieldValue>> = {
  [FieldType.Number]: fc.double(),
  [FieldType.String]: fc.string({ unit: "binary", maxLength: 20 }),
  [FieldType.Boolean]: fc.boolean(),
  [FieldType.Bytes]: fc.uint8Array({ maxLength: 20 }),
  [FieldType.Vector]: fc.array(fc.double(), { maxLength: 16 }).map((v) =>
    Object.freeze(v)
  ),
};

/** A field type with a value of it. */
export const typedValue: fc.Arbitrary<[FieldType, FieldValue]> = fc
  .constantFrom(...Object.values(FieldType))
  .chain((type) =>
    valueOf[type].map((v) => [type, v] as [FieldType, FieldValue])
  );

const sessionId = fc.nat({ max: 999_999_999_999_999 });
const counter = fc.integer({ min: 1, max: 999_999 });
/** An object id, scene objects included. */
export const objectIdArb = fc.oneof(
  fc.tuple(sessionId, counter).map(([c, n]) => `${c}-${n}`),
  counter.map((n) => `-1-${n}`),
);
const fieldName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/);
const typeName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/);
const seq = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const tag = fc.nat({ max: 999_999_999 });

const fields: fc.Arbitrary<FieldEntry[]> = fc.uniqueArray(
  fc.tuple(fieldName, typedValue),
  { maxLength: 8, selector: ([name]) => name },
).map((list) => list.map(([name, [type, value]]) => ({ name, type, value })));

/** An object description. */
export const description = record({
  id: objectIdArb,
  type: typeName,
  boundToOwner: fc.boolean(),
  fields,
});

const entry = fc.tuple(
  objectIdArb,
  fc.uniqueArray(fc.nat({ max: 31 }), { minLength: 1, maxLength: 6 }),
  fc.array(typedValue, { minLength: 6, maxLength: 6 }),
).map(([id, bits, values]) => ({
  id,
  mask: bits.reduce((m, b) => (m | (1 << b)) >>> 0, 0),
  values: bits.map((_, i) => encodeValue(values[i]![0], values[i]![1])),
}));

/** Any scene message. */
export const sceneMessage: fc.Arbitrary<SceneMessage> = fc.oneof(
  record({ kind: fc.constant("hello" as const), tag }),
  record({
    kind: fc.constant("snapshot" as const),
    tag,
    objects: fc.array(
      record({ owner: sessionId, seq, object: description }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  record({
    kind: fc.constant("end" as const),
    tag,
    participants: fc.option(
      fc.array(sessionId, { minLength: 1, maxLength: 5 }),
    ),
  }),
  record({ kind: fc.constant("ready" as const) }),
  record({ kind: fc.constant("instantiate" as const), object: description }),
  record({
    kind: fc.constant("update" as const),
    seq,
    entries: fc.array(entry, { minLength: 1, maxLength: 4 }),
  }),
  record({
    kind: fc.constant("claim" as const),
    id: objectIdArb,
    expected: sessionId,
    seq,
  }),
  record({ kind: fc.constant("destroy" as const), id: objectIdArb }),
);
