/**
 * Scene messages to payload text and back. A payload is a scene message
 * when it is one tag letter alone or a tag letter and a space; anything
 * else (chat in the same room) is foreign and decodes to null. Tokens are
 * separated by one space; no token is empty, none holds a `:`.
 *
 * @example
 * ```ts
 * import { decodeSceneMessage, encodeSceneMessage } from "./scene_codec.ts";
 * const text = encodeSceneMessage({ kind: "claim", id: "7-1", expected: 7, seq: 12 });
 * console.assert(text === "O 7-1 7 12");
 * console.assert(decodeSceneMessage(text)?.kind === "claim");
 * console.assert(decodeSceneMessage("Hello, world") === null);
 * ```
 * @module
 */
import {
  decodeDescription,
  encodeDescription,
  MAX_FIELDS,
} from "./object_description.ts";
import { parseObjectId } from "./object_id.ts";
import { WireFormatError } from "./scene_errors.ts";
import type {
  OwnedObject,
  SceneMessage,
  UpdateEntry,
} from "./scene_message.ts";

const TAGS = new Set(["H", "S", "E", "R", "I", "U", "O", "D"]);
const SESSION_ID = /^(?:0|[1-9]\d{0,14})$/;
const SEQ = /^(?:0|[1-9]\d{0,15})$/;
const TAG = /^(?:0|[1-9]\d{0,8})$/;
/** Hex, no leading zero, not 0; either case (written in lowercase). */
const MASK = /^[1-9a-fA-F][0-9a-fA-F]{0,7}$/;

/** The payload text of `msg`. */
export function encodeSceneMessage(msg: SceneMessage): string {
  switch (msg.kind) {
    case "hello":
      return `H ${msg.tag}`;
    case "snapshot":
      return ["S", String(msg.tag), ...msg.objects.flatMap(ownedTokens)]
        .join(" ");
    case "end":
      return `E ${msg.tag} ${msg.participants?.join(",") ?? "-"}`;
    case "ready":
      return "R";
    case "instantiate":
      return ["I", ...encodeDescription(msg.object)].join(" ");
    case "update":
      return ["U", String(msg.seq), ...msg.entries.flatMap(entryTokens)]
        .join(" ");
    case "claim":
      return `O ${msg.id} ${msg.expected} ${msg.seq}`;
    case "destroy":
      return `D ${msg.id}`;
  }
}

/** The tokens of one snapshot object: `<owner> <seq> <object>`. */
export function ownedTokens(owned: OwnedObject): string[] {
  return [
    String(owned.owner),
    String(owned.seq),
    ...encodeDescription(owned.object),
  ];
}

/** The tokens of one update entry: `<id> <mask> <values>`. */
export function entryTokens(entry: UpdateEntry): string[] {
  return [entry.id, entry.mask.toString(16), ...entry.values];
}

/**
 * The scene message in `text`, or null when `text` is not one (foreign).
 *
 * @throws {WireFormatError} when `text` starts like a scene message but
 *   does not follow the format.
 */
export function decodeSceneMessage(text: string): SceneMessage | null {
  if (!TAGS.has(text[0] ?? "") || (text.length > 1 && text[1] !== " ")) {
    return null;
  }
  const tokens = text.length === 1 ? [] : text.slice(2).split(" ");
  if (tokens.some((t) => t === "")) {
    throw new WireFormatError("empty token (two spaces, or a trailing space)");
  }
  switch (text[0]) {
    case "H":
      exactly(tokens, 1);
      return { kind: "hello", tag: int(tokens[0], TAG, "tag") };
    case "S":
      return decodeSnapshot(tokens);
    case "E":
      exactly(tokens, 2);
      return {
        kind: "end",
        tag: int(tokens[0], TAG, "tag"),
        participants: tokens[1] === "-"
          ? null
          : tokens[1]!.split(",").map((id) => int(id, SESSION_ID, "id")),
      };
    case "R":
      exactly(tokens, 0);
      return { kind: "ready" };
    case "I": {
      const { object, next } = decodeDescription(tokens, 0);
      exactly(tokens, next);
      return { kind: "instantiate", object };
    }
    case "U":
      return decodeUpdate(tokens);
    case "O":
      exactly(tokens, 3);
      return {
        kind: "claim",
        id: objectIdToken(tokens[0]),
        expected: int(tokens[1], SESSION_ID, "owner"),
        seq: int(tokens[2], SEQ, "seq"),
      };
    default:
      exactly(tokens, 1);
      return { kind: "destroy", id: objectIdToken(tokens[0]) };
  }
}

function decodeSnapshot(tokens: string[]): SceneMessage {
  const tag = int(tokens[0], TAG, "tag");
  const objects: OwnedObject[] = [];
  let at = 1;
  while (at < tokens.length) {
    const owner = int(tokens[at], SESSION_ID, "owner");
    const seq = int(tokens[at + 1], SEQ, "seq");
    const { object, next } = decodeDescription(tokens, at + 2);
    objects.push({ owner, seq, object });
    at = next;
  }
  if (objects.length === 0) throw new WireFormatError("snapshot of nothing");
  return { kind: "snapshot", tag, objects };
}

function decodeUpdate(tokens: string[]): SceneMessage {
  const seq = int(tokens[0], SEQ, "seq");
  const entries: UpdateEntry[] = [];
  let at = 1;
  while (at < tokens.length) {
    const id = objectIdToken(tokens[at]);
    const maskText = tokens[at + 1];
    if (maskText === undefined || !MASK.test(maskText)) {
      throw new WireFormatError(`${JSON.stringify(maskText)} is not a mask`);
    }
    const mask = parseInt(maskText, 16);
    const count = bitCount(mask);
    const values = tokens.slice(at + 2, at + 2 + count);
    if (values.length < count) throw new WireFormatError("values cut short");
    entries.push({ id, mask, values });
    at += 2 + count;
  }
  if (entries.length === 0) throw new WireFormatError("update of nothing");
  return { kind: "update", seq, entries };
}

/** The number of set bits in a mask of up to {@linkcode MAX_FIELDS} bits. */
export function bitCount(mask: number): number {
  let n = 0;
  for (let bit = 0; bit < MAX_FIELDS; bit++) n += (mask >>> bit) & 1;
  return n;
}

function exactly(tokens: readonly string[], n: number): void {
  if (tokens.length !== n) {
    throw new WireFormatError(
      `${tokens.length} token${
        tokens.length === 1 ? "" : "s"
      } where ${n} belong`,
    );
  }
}

function int(token: string | undefined, pattern: RegExp, what: string) {
  if (token === undefined || !pattern.test(token)) {
    throw new WireFormatError(`${JSON.stringify(token)} is not a ${what}`);
  }
  const n = Number(token);
  if (!Number.isSafeInteger(n)) throw new WireFormatError(`${what} too large`);
  return n;
}

function objectIdToken(token: string | undefined): string {
  if (token === undefined || parseObjectId(token) === null) {
    throw new WireFormatError(`${JSON.stringify(token)} is not an object id`);
  }
  return token;
}
