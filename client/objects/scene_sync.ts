/**
 * A joiner's catch-up (docs/network-objects.md, "Late joiners"). Its own
 * hello `H <tag>` comes back through the room's order at position h; every
 * member then in the room answers with `3:4`: a participant with `S` lines
 * (its own objects, as of h) and `E <tag> <participants>`, any other scene
 * client with `E <tag> -`. Meanwhile everything after h is kept in order,
 * to be replayed on the table the answers make once they are all in.
 *
 * Members that never answer are not scene clients (a `connect` user): once
 * a participant's `E` lists the participants, only they are waited for;
 * with no list after `syncTimeoutMs` the silent ones are taken as outsiders.
 * If a member leaves before answering while it may have been a
 * participant, its objects as of h are lost to us: the sync is `broken` and
 * the joiner starts again with a new hello.
 *
 * @example
 * ```ts
 * import { SceneSync } from "./scene_sync.ts";
 * const sync = new SceneSync({ tag: 0, self: 3, members: [1, 2, 3], maxObjects: 100, maxBuffered: 100, now: 0 });
 * sync.end(2, null);          // 2 is a scene client, not a participant yet
 * sync.end(1, [1]);           // 1 is the only participant; its objects came before
 * console.assert(sync.done && !sync.broken);
 * ```
 * @module
 */
import { ObjectTable } from "./object_table.ts";
import { SceneErrorCode, SceneSyncError } from "./scene_errors.ts";
import type { OwnedObject, SceneMessage } from "./scene_message.ts";

/** Something that happened after the hello, kept for replay. */
export type Buffered =
  | {
    readonly kind: "message";
    readonly from: number;
    readonly msg: SceneMessage;
  }
  | { readonly kind: "joined"; readonly id: number }
  | { readonly kind: "left"; readonly id: number };

/** Options of a {@linkcode SceneSync}. */
export interface SceneSyncOptions {
  /** The hello's tag. */
  readonly tag: number;
  /** Our session id. */
  readonly self: number;
  /** The room's members when the hello came back, in join order. */
  readonly members: readonly number[];
  /** The table's object limit. */
  readonly maxObjects: number;
  /** Events kept for replay before the sync fails. */
  readonly maxBuffered: number;
  /** The clock reading when the hello came back. */
  readonly now: number;
}

/** One catch-up in progress. */
export class SceneSync {
  readonly tag: number;
  readonly startedAt: number;
  /** The members as of the hello, in join order. */
  readonly members: readonly number[];
  /** The objects as of the hello, from the answers so far. */
  readonly base: ObjectTable;
  /** What happened after the hello, in order. */
  readonly buffer: Buffered[] = [];
  readonly #maxBuffered: number;
  readonly #expected: Set<number>;
  #participants: ReadonlySet<number> | null = null;
  /** Members that left before answering. */
  readonly #silentLeavers = new Set<number>();

  /** Starts waiting for every other member's answer. */
  constructor(options: SceneSyncOptions) {
    this.tag = options.tag;
    this.startedAt = options.now;
    this.members = [...options.members];
    this.base = new ObjectTable(options.maxObjects);
    this.#maxBuffered = options.maxBuffered;
    this.#expected = new Set(
      options.members.filter((id) => id !== options.self),
    );
  }

  /** True once no answer is awaited. */
  get done(): boolean {
    return this.#expected.size === 0;
  }

  /** True when a member left before answering and may have had objects. */
  get broken(): boolean {
    const participants = this.#participants;
    if (participants === null) return this.#silentLeavers.size > 0;
    return [...this.#silentLeavers].some((id) => participants.has(id));
  }

  /** The participants as of the hello, once a participant has said. */
  get participants(): ReadonlySet<number> | null {
    return this.#participants;
  }

  /**
   * Takes objects from `from`'s answer (ignored unless an answer is awaited
   * from it); returns how many it ignored because their owner is not
   * `from` (a participant answers for its own objects only).
   */
  snapshot(from: number, objects: readonly OwnedObject[]): number {
    if (!this.#expected.has(from)) return 0;
    let ignored = 0;
    for (const { owner, seq, object } of objects) {
      if (owner !== from) {
        ignored++;
        continue;
      }
      const state = this.base.add(object, owner);
      state?.seqs.set(owner, seq);
    }
    return ignored;
  }

  /** Records `from`'s end of answer, with the participants it knows (or null). */
  end(from: number, participants: readonly number[] | null): void {
    if (!this.#expected.delete(from)) return;
    if (participants !== null && this.#participants === null) {
      this.#participants = new Set(participants);
      for (const id of this.#expected) {
        if (!this.#participants.has(id)) this.#expected.delete(id);
      }
    }
  }

  /** A member left: stop waiting for it; the sync breaks if it may have had objects. */
  left(id: number): void {
    if (this.#expected.delete(id)) this.#silentLeavers.add(id);
  }

  /**
   * Keeps `item` for replay.
   *
   * @throws {SceneSyncError} `sync-overflow` past `maxBuffered` items.
   */
  keep(item: Buffered): void {
    if (this.buffer.length >= this.#maxBuffered) {
      throw new SceneSyncError(
        SceneErrorCode.SyncOverflow,
        `more than ${this.#maxBuffered} messages arrived while catching up`,
      );
    }
    this.buffer.push(item);
  }

  /**
   * The wait is over: without a participant list the silent members are
   * outsiders and the sync is done; with one, a participant has not
   * answered in time.
   *
   * @throws {SceneSyncError} `sync-timeout` when a listed participant is silent.
   */
  timeOut(timeoutMs: number): void {
    if (this.#participants !== null) {
      throw new SceneSyncError(
        SceneErrorCode.SyncTimeout,
        `participants ${
          [...this.#expected].join(",")
        } did not send the scene within ${timeoutMs} ms`,
      );
    }
    this.#expected.clear();
  }
}
