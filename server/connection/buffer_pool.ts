/**
 * Spare write buffers shared by one server's outbound queues, so that a
 * queue that writes every turn does not allocate (and free) a buffer every
 * turn. At 1,000 sockets nearly every turn gives each busy socket one write,
 * and a fresh `Uint8Array` per write was a `calloc` and a `free` per write
 * (bench/README.md, "Against the machine's limit").
 *
 * Sizes are powers of two from {@linkcode MIN_POOLED_BYTES} to
 * {@linkcode MAX_POOLED_BYTES}. At most {@linkcode BUFFERS_PER_SIZE} of each
 * size are kept, and at most {@linkcode MAX_SPARE_BYTES} in all; the rest
 * are left to the garbage collector. The count is one per busy socket of a
 * turn: with 16 per size (as it was), 100 sockets writing every turn got 84
 * new buffers a turn, and `sat` carried 1.45–2.23M deliveries/s (median
 * 1.67M over seven runs) against 1.65–2.14M (median 2.04M) with room for
 * all (bench/README.md). A buffer is given back only once its write
 * completed, so no transport still reads it.
 *
 * @example
 * ```ts
 * import { BufferPool } from "./buffer_pool.ts";
 * const pool = new BufferPool();
 * const a = pool.take(600);
 * console.assert(a.length === 1024);
 * pool.give(a);
 * console.assert(pool.take(1000) === a);
 * ```
 * @module
 */

/** The smallest buffer handed out. */
export const MIN_POOLED_BYTES = 512;
/** Buffers larger than this are neither pooled nor taken from the pool. */
export const MAX_POOLED_BYTES = 64 * 1024;
/** Spare buffers kept per size. */
export const BUFFERS_PER_SIZE = 1024;
/** Bytes of spare buffers kept in all (the pool's bound). */
export const MAX_SPARE_BYTES = 8 * 1024 * 1024;

const MIN_SHIFT = Math.log2(MIN_POOLED_BYTES);
const MAX_SHIFT = Math.log2(MAX_POOLED_BYTES);

/** Spare buffers by size, bounded. */
export class BufferPool {
  readonly #spares: Uint8Array[][] = Array.from(
    { length: MAX_SHIFT - MIN_SHIFT + 1 },
    () => [],
  );
  /** Bytes of the spares kept now. */
  #spareBytes = 0;

  /** Bytes of the spare buffers the pool keeps now. */
  get spareBytes(): number {
    return this.#spareBytes;
  }

  /** A buffer of at least `bytes` (a power of two, at least 512); contents undefined. */
  take(bytes: number): Uint8Array {
    const shift = Math.max(MIN_SHIFT, Math.ceil(Math.log2(Math.max(1, bytes))));
    if (shift > MAX_SHIFT) return new Uint8Array(2 ** shift);
    const spare = this.#spares[shift - MIN_SHIFT]!.pop();
    if (spare === undefined) return new Uint8Array(2 ** shift);
    this.#spareBytes -= spare.length;
    return spare;
  }

  /** Gives back a buffer no one uses any more; kept if the pool has room. */
  give(buffer: Uint8Array): void {
    const shift = Math.log2(buffer.length);
    if (!Number.isInteger(shift) || shift < MIN_SHIFT || shift > MAX_SHIFT) {
      return;
    }
    const spares = this.#spares[shift - MIN_SHIFT]!;
    if (
      spares.length < BUFFERS_PER_SIZE &&
      this.#spareBytes + buffer.length <= MAX_SPARE_BYTES
    ) {
      spares.push(buffer);
      this.#spareBytes += buffer.length;
    }
  }
}
