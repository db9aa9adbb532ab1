/**
 * The lines one side of a resumable session has sent and the other has not
 * yet acknowledged, numbered from 1, kept so that they can be sent again
 * after a drop. The server keeps one per resumable session (what it sent the
 * client), the client library one per connection (what it sent the server).
 *
 * Frames are copied into segments (one allocation per few kilobytes, not
 * one per line) and line lengths into a ring of numbers, so appending a
 * frame allocates nothing most of the time. An acknowledgement drops lines
 * from the front; a replay visits what is left after a given number as a few
 * contiguous byte ranges.
 *
 * @example
 * ```ts
 * import { LineLog } from "./line_log.ts";
 * const log = new LineLog();
 * const utf8 = new TextEncoder();
 * log.append(utf8.encode("3:1:a\n"));
 * log.append(utf8.encode("3:1:b\n"));
 * log.append(utf8.encode("3:1:c\n"));
 * log.ackTo(1); // the other side has line 1
 * const again: string[] = [];
 * log.replayAfter(1, (bytes) => again.push(new TextDecoder().decode(bytes)));
 * console.assert(again.join("") === "3:1:b\n3:1:c\n" && log.bytes === 12);
 * ```
 * @module
 */

/** The smallest segment; they double up to {@linkcode MAX_SEGMENT_BYTES}. */
const MIN_SEGMENT_BYTES = 1024;
/** The largest segment, unless one frame is larger. */
const MAX_SEGMENT_BYTES = 64 * 1024;
const MIN_RING = 16;

/** An acknowledgement or replay point outside what a log has numbered. */
export class LineCountError extends RangeError {
  /** Stable, for programs. */
  readonly code = "line-count";

  /** `count` is not between `acked` and `last`. */
  constructor(count: number, acked: number, last: number) {
    super(
      `line count ${count} is outside what was sent and not yet acknowledged (${acked} to ${last})`,
    );
    this.name = "LineCountError";
  }
}

/** Numbered lines kept until acknowledged. */
export class LineLog {
  /** Segments, oldest first; the first is read from `#headOffset`. */
  #segments: Uint8Array[] = [];
  #headOffset = 0;
  /** Bytes used in the last segment. */
  #tailFill = 0;
  #lastSegmentBytes = 0;
  /** Lengths of the lines held, oldest first, in a ring. */
  #lengths = new Uint32Array(MIN_RING);
  #ringHead = 0;
  #held = 0;
  /** Number of the last line acknowledged (0: none). */
  #acked = 0;
  #bytes = 0;

  /** Number of the last line appended (0: none yet). */
  get last(): number {
    return this.#acked + this.#held;
  }

  /** Number of the last line acknowledged by the other side. */
  get acked(): number {
    return this.#acked;
  }

  /** Lines held (appended, not acknowledged). */
  get count(): number {
    return this.#held;
  }

  /** Bytes of the lines held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Copies one line (with its `\n`) in; returns its number. */
  append(frame: Uint8Array): number {
    this.#pushLength(frame.length);
    this.#copy(frame);
    this.#bytes += frame.length;
    return this.last;
  }

  /**
   * The other side has lines up to `count`: drops them.
   *
   * @throws {LineCountError} when `count` is below what was acknowledged or
   *   above the last line appended.
   */
  ackTo(count: number): void {
    this.#check(count);
    let drop = count - this.#acked;
    let bytes = 0;
    const ring = this.#lengths;
    while (drop-- > 0) {
      bytes += ring[this.#ringHead]!;
      this.#ringHead = (this.#ringHead + 1) % ring.length;
      this.#held--;
      this.#acked++;
    }
    this.#bytes -= bytes;
    this.#dropBytes(bytes);
  }

  /**
   * Calls `visit` with the bytes of every line after `count`, in order, in
   * as few contiguous ranges as the segments allow. The views are valid
   * until the log next changes.
   *
   * @throws {LineCountError} as {@linkcode ackTo}.
   */
  replayAfter(count: number, visit: (bytes: Uint8Array) => void): void {
    this.#check(count);
    let skip = 0;
    const ring = this.#lengths;
    for (let i = 0; i < count - this.#acked; i++) {
      skip += ring[(this.#ringHead + i) % ring.length]!;
    }
    let offset = this.#headOffset + skip;
    const segments = this.#segments;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const end = i === segments.length - 1 ? this.#tailFill : segment.length;
      if (offset < end) visit(segment.subarray(offset, end));
      offset = Math.max(0, offset - end);
    }
  }

  /** Forgets every line held (numbering goes on). */
  clear(): void {
    this.#acked = this.last;
    this.#held = 0;
    this.#ringHead = 0;
    if (this.#lengths.length > MIN_RING) {
      this.#lengths = new Uint32Array(MIN_RING);
    }
    this.#bytes = 0;
    this.#segments = [];
    this.#headOffset = 0;
    this.#tailFill = 0;
    this.#lastSegmentBytes = 0;
  }

  #check(count: number): void {
    if (
      !Number.isSafeInteger(count) || count < this.#acked || count > this.last
    ) {
      throw new LineCountError(count, this.#acked, this.last);
    }
  }

  #pushLength(length: number): void {
    let ring = this.#lengths;
    if (this.#held === ring.length) {
      const grown = new Uint32Array(ring.length * 2);
      for (let i = 0; i < this.#held; i++) {
        grown[i] = ring[(this.#ringHead + i) % ring.length]!;
      }
      this.#lengths = ring = grown;
      this.#ringHead = 0;
    }
    ring[(this.#ringHead + this.#held) % ring.length] = length;
    this.#held++;
  }

  #copy(frame: Uint8Array): void {
    let at = 0;
    while (at < frame.length) {
      let tail = this.#segments.at(-1);
      if (tail === undefined || this.#tailFill === tail.length) {
        const size = Math.min(
          MAX_SEGMENT_BYTES,
          Math.max(MIN_SEGMENT_BYTES, this.#lastSegmentBytes * 2),
        );
        tail = new Uint8Array(Math.max(size, frame.length - at));
        this.#lastSegmentBytes = tail.length;
        this.#segments.push(tail);
        this.#tailFill = 0;
      }
      const n = Math.min(frame.length - at, tail.length - this.#tailFill);
      tail.set(frame.subarray(at, at + n), this.#tailFill);
      this.#tailFill += n;
      at += n;
    }
  }

  /** Drops `bytes` from the front, freeing segments that are fully read. */
  #dropBytes(bytes: number): void {
    if (this.#held === 0) {
      // Nothing left: give the memory back (an idle session keeps nothing,
      // whatever burst it once had).
      this.clear();
      return;
    }
    let left = bytes;
    const segments = this.#segments;
    while (left > 0) {
      const head = segments[0]!;
      const available = head.length - this.#headOffset;
      if (left < available) {
        this.#headOffset += left;
        return;
      }
      left -= available;
      segments.shift();
      this.#headOffset = 0;
    }
  }
}
