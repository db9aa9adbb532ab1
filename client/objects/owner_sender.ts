/**
 * What an owner writes: updates packed into as few payloads as fit (one
 * per tick for every object it changed), numbered by its own update
 * counter, over TCP or UDP; its answers to a joiner's hello; and its
 * ordered messages. The scene's outbox carries them to the relay.
 *
 * @example
 * ```ts
 * import { OwnerSender } from "./owner_sender.ts";
 * import { DEFAULT_SCENE_LIMITS } from "./scene_options.ts";
 * const sent: string[] = [];
 * const sender = new OwnerSender(7, DEFAULT_SCENE_LIMITS, {
 *   ordered: (p) => sent.push(p), update: (p) => sent.push(p), to: (_, p) => sent.push(p),
 * });
 * sender.updates([{ id: "7-1", mask: 1, values: ["2"] }, { id: "7-2", mask: 3, values: ["0", "a"] }], "tcp");
 * console.assert(sent[0] === "U 1 7-1 1 2 7-2 3 0 a" && sender.seq === 1);
 * ```
 * @module
 */
import type { ChannelName } from "../channel.ts";
import { packGroups, utf8Length } from "./message_packer.ts";
import type { ObjectDescription } from "./object_description.ts";
import { encodeSceneMessage, entryTokens, ownedTokens } from "./scene_codec.ts";
import type { SceneMessage, UpdateEntry } from "./scene_message.ts";
import type { SceneLimits } from "./scene_options.ts";
import type { SceneOutbox } from "./scene_outbox.ts";

/** `U <seq> ` at its longest. */
const UPDATE_HEAD_BYTES = 20;

/** An owner's outgoing messages. */
export class OwnerSender {
  readonly #self: number;
  readonly #limits: SceneLimits;
  readonly #outbox: SceneOutbox;
  #seq = 0;

  /** The sender for session `self`. */
  constructor(self: number, limits: SceneLimits, outbox: SceneOutbox) {
    this.#self = self;
    this.#limits = limits;
    this.#outbox = outbox;
  }

  /** The number of our latest update (0 before any). */
  get seq(): number {
    return this.#seq;
  }

  /** Sends `msg` in the room's order (`3:3`). */
  ordered(msg: SceneMessage): void {
    this.#outbox.ordered(encodeSceneMessage(msg));
  }

  /**
   * Sends update entries over `channel`; returns the ids sent over UDP. An
   * entry too large for one datagram goes over TCP, and all go over TCP
   * while the outbox says UDP is down.
   */
  updates(entries: readonly UpdateEntry[], channel: ChannelName): string[] {
    const lossy: string[][] = [];
    const reliable: string[][] = [];
    const lossyIds: string[] = [];
    const maxDatagram = this.#limits.maxDatagramPayloadBytes;
    const udp = channel === "udp" && (this.#outbox.udpUp?.() ?? true);
    for (const entry of entries) {
      const group = entryTokens(entry);
      const bytes = utf8Length(group.join(" ")) + UPDATE_HEAD_BYTES;
      if (udp && bytes <= maxDatagram) {
        lossy.push(group);
        lossyIds.push(entry.id);
      } else {
        reliable.push(group);
      }
    }
    this.#emit(lossy, maxDatagram, "udp");
    this.#emit(reliable, this.#limits.maxPayloadBytes, "tcp");
    return lossyIds;
  }

  /** Answers `to`'s hello `tag`: `objects` (ours) in `S` lines, then `E`. */
  answer(
    to: number,
    tag: number,
    objects: readonly ObjectDescription[],
    participants: readonly number[],
  ): void {
    const groups = objects.map((object) =>
      ownedTokens({ owner: this.#self, seq: this.#seq, object })
    );
    const max = this.#limits.maxPayloadBytes;
    for (const payload of packGroups(groups, max, () => `S ${tag}`)) {
      this.#outbox.to(to, payload);
    }
    this.#outbox.to(to, encodeSceneMessage({ kind: "end", tag, participants }));
  }

  #emit(groups: string[][], maxBytes: number, channel: ChannelName): void {
    const head = () => `U ${++this.#seq}`;
    for (const payload of packGroups(groups, maxBytes, head)) {
      this.#outbox.update(payload, channel);
    }
  }
}
