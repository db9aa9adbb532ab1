/**
 * The messages of the network-object layer, carried as payloads of the
 * relay protocol (docs/network-objects.md). Each has a one-letter tag and
 * must travel in the send mode named here: receivers cannot see a
 * message's mode, so the ordering rules hold only if senders keep to it.
 *
 * @example
 * ```ts
 * import { SceneTag, type SceneMessage } from "./scene_message.ts";
 * const claim: SceneMessage = { kind: "claim", id: "7-1", expected: 7, seq: 12 };
 * console.assert(SceneTag.claim === "O" && claim.kind === "claim");
 * ```
 * @module
 */
import type { ObjectDescription } from "./object_description.ts";

/** An object in a snapshot: its owner, the owner's update sequence, its description. */
export interface OwnedObject {
  readonly owner: number;
  /** Updates from `owner` with a sequence number up to this one are older. */
  readonly seq: number;
  readonly object: ObjectDescription;
}

/** One object's part of an update: which fields changed, and their tokens. */
export interface UpdateEntry {
  readonly id: string;
  /** Bit i set: field i (in instantiate order) changed. Never 0. */
  readonly mask: number;
  /** The value tokens of the set bits, lowest bit first. */
  readonly values: readonly string[];
}

/** A scene message. */
export type SceneMessage =
  /** `H <tag>` in `3:3`: I am in the room; send me the scene. */
  | { readonly kind: "hello"; readonly tag: number }
  /** `S <tag> (<owner> <seq> <object>)+` in `3:4`: objects, as of the hello. */
  | {
    readonly kind: "snapshot";
    readonly tag: number;
    readonly objects: readonly OwnedObject[];
  }
  /**
   * `E <tag> <ids>` or `E <tag> -` in `3:4`: the answer to a hello is
   * complete; the scene's participants as of the hello, or `-` from a
   * client that is not a participant yet.
   */
  | {
    readonly kind: "end";
    readonly tag: number;
    readonly participants: readonly number[] | null;
  }
  /** `R` in `3:3`: I have the scene; count me as a participant. */
  | { readonly kind: "ready" }
  /** `I <object>` in `3:3`: a new object, owned by its sender. */
  | { readonly kind: "instantiate"; readonly object: ObjectDescription }
  /** `U <seq> (<id> <mask> <values>)+` in `3:0`, over TCP or UDP. */
  | {
    readonly kind: "update";
    readonly seq: number;
    readonly entries: readonly UpdateEntry[];
  }
  /** `O <id> <expected owner> <seq>` in `3:3`: ownership claim. */
  | {
    readonly kind: "claim";
    readonly id: string;
    readonly expected: number;
    readonly seq: number;
  }
  /** `D <id>` in `3:3`: the owner destroys the object. */
  | { readonly kind: "destroy"; readonly id: string };

/** The tag letter of each kind. */
export const SceneTag = {
  hello: "H",
  snapshot: "S",
  end: "E",
  ready: "R",
  instantiate: "I",
  update: "U",
  claim: "O",
  destroy: "D",
} as const satisfies Record<SceneMessage["kind"], string>;
