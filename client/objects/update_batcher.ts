/**
 * What an owner still has to send: the fields changed since the last tick
 * (a bitmask per object), and the objects last sent over the lossy UDP
 * channel, which get one reliable full update once they have not changed
 * for a while so that a lost datagram never leaves them wrong for good.
 *
 * @example
 * ```ts
 * import { UpdateBatcher } from "./update_batcher.ts";
 * const batcher = new UpdateBatcher();
 * batcher.mark("7-1", 0);
 * batcher.mark("7-1", 2);
 * const dirty = batcher.take();
 * console.assert(dirty.get("7-1") === 0b101 && batcher.take().size === 0);
 * batcher.sentUnreliably(["7-1"], 1000);
 * console.assert(batcher.dueReliable(1100, 250).length === 0);
 * console.assert(batcher.dueReliable(1250, 250)[0] === "7-1");
 * ```
 * @module
 */

/** Changed fields and unreliable sends, per object. */
export class UpdateBatcher {
  /** Changed-field masks by object id. */
  #dirty = new Map<string, number>();
  /** When each object was last sent over UDP, by object id. */
  readonly #unreliable = new Map<string, number>();

  /** True when nothing is waiting to be sent, now or later. */
  get idle(): boolean {
    return this.#dirty.size === 0 && this.#unreliable.size === 0;
  }

  /** Marks field `index` of `id` as changed. */
  mark(id: string, index: number): void {
    this.#dirty.set(id, ((this.#dirty.get(id) ?? 0) | (1 << index)) >>> 0);
  }

  /** Takes the changed-field masks, leaving none. */
  take(): Map<string, number> {
    const dirty = this.#dirty;
    this.#dirty = new Map();
    return dirty;
  }

  /** Forgets `id`: it is no longer ours, or was sent in full. */
  forget(id: string): void {
    this.#dirty.delete(id);
    this.#unreliable.delete(id);
  }

  /** Records that `ids` were just sent over UDP at `now`. */
  sentUnreliably(ids: Iterable<string>, now: number): void {
    for (const id of ids) this.#unreliable.set(id, now);
  }

  /** Records that `id` was sent in full over TCP: no reliable update is due. */
  sentReliably(id: string): void {
    this.#unreliable.delete(id);
  }

  /**
   * The objects sent over UDP that have not changed for `quietMs` and have
   * nothing waiting; they are taken off the list (the caller sends each a
   * full update over TCP).
   */
  dueReliable(now: number, quietMs: number): string[] {
    const due: string[] = [];
    for (const [id, at] of this.#unreliable) {
      if (now - at >= quietMs && !this.#dirty.has(id)) due.push(id);
    }
    for (const id of due) this.#unreliable.delete(id);
    return due;
  }
}
