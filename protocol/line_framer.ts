/**
 * Splits a byte stream into lines across chunk boundaries, with a hard cap.
 *
 * The cap is checked before anything is buffered, so a peer that never sends
 * `\n` costs at most `maxLineBytes` of memory. A handler may call
 * {@linkcode LineFramer.stop} to end a push after its line: the push then
 * returns how much of the chunk it consumed, and the caller keeps the rest
 * (flow control: the server stops reading a client mid-chunk).
 *
 * @example
 * ```ts
 * import { LineFramer } from "./line_framer.ts";
 * const lines: string[] = [];
 * const framer = new LineFramer(1024, (line) => lines.push(new TextDecoder().decode(line)));
 * framer.push(new TextEncoder().encode("3:0:he"));
 * framer.push(new TextEncoder().encode("llo\r\n"));
 * console.assert(lines[0] === "3:0:hello");
 * ```
 * @module
 */

const LF = 0x0a;
const CR = 0x0d;
/** Buffers grown past this are released after their line, to keep idle clients small. */
const KEEP_BUFFER_BYTES = 4096;

/** Thrown by {@linkcode LineFramer.push} when a line exceeds the cap. */
export class LineTooLongError extends RangeError {
  /** Stable code for logs and the error line. */
  readonly code = "line-too-long";
  /** Creates the error for a cap of `maxLineBytes`. */
  constructor(readonly maxLineBytes: number) {
    super(`line longer than ${maxLineBytes} bytes`);
    this.name = "LineTooLongError";
  }
}

/**
 * Receives one line without its `\n` (and without a `\r` before it).
 * The bytes are only valid during the call: copy what you keep.
 */
export type LineHandler = (line: Uint8Array) => void;

/** A push-style framer for `\n`-terminated lines. */
export class LineFramer {
  readonly #maxLineBytes: number;
  readonly #onLine: LineHandler;
  #pending: Uint8Array | null = null;
  #pendingLength = 0;
  #stopped = false;

  /**
   * @param maxLineBytes the largest line accepted, not counting `\n`
   * @param onLine called once per complete line, in order
   */
  constructor(maxLineBytes: number, onLine: LineHandler) {
    this.#maxLineBytes = maxLineBytes;
    this.#onLine = onLine;
  }

  /** Bytes of an unfinished line held until its `\n` arrives. */
  get buffered(): number {
    return this.#pendingLength;
  }

  /**
   * Feeds a chunk; calls the handler for every line it completes, until a
   * handler calls {@linkcode stop}. Returns the bytes of `chunk` consumed:
   * all of it, or up to and including the `\n` of the line whose handler
   * stopped the push. The caller feeds the rest later.
   *
   * @throws {LineTooLongError} as soon as a line is known to exceed the cap;
   *   lines completed earlier in the chunk have been delivered.
   */
  push(chunk: Uint8Array): number {
    this.#stopped = false;
    let start = 0;
    let newline = chunk.indexOf(LF);
    if (this.#pendingLength > 0) {
      if (newline === -1) {
        this.#append(chunk);
        return chunk.length;
      }
      this.#append(chunk.subarray(0, newline));
      const line = this.#pending!.subarray(0, this.#pendingLength);
      this.#pendingLength = 0;
      if (this.#pending!.length > KEEP_BUFFER_BYTES) this.#pending = null;
      this.#emit(line);
      start = newline + 1;
      if (this.#stopped) return start;
      newline = chunk.indexOf(LF, start);
    }
    while (newline !== -1) {
      if (newline - start > this.#maxLineBytes) {
        throw new LineTooLongError(this.#maxLineBytes);
      }
      this.#emit(chunk.subarray(start, newline));
      start = newline + 1;
      if (this.#stopped) return start;
      newline = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.#append(chunk.subarray(start));
    return chunk.length;
  }

  /**
   * Called by a line handler: the current {@linkcode push} returns after
   * this line, leaving the rest of its chunk unconsumed.
   */
  stop(): void {
    this.#stopped = true;
  }

  /** Drops any unfinished line. */
  reset(): void {
    this.#pendingLength = 0;
    this.#pending = null;
  }

  #emit(line: Uint8Array): void {
    const end = line.length;
    this.#onLine(
      end > 0 && line[end - 1] === CR ? line.subarray(0, end - 1) : line,
    );
  }

  #append(bytes: Uint8Array): void {
    const needed = this.#pendingLength + bytes.length;
    if (needed > this.#maxLineBytes) {
      this.reset();
      throw new LineTooLongError(this.#maxLineBytes);
    }
    let buffer = this.#pending;
    if (buffer === null || buffer.length < needed) {
      const grown = new Uint8Array(
        Math.min(
          this.#maxLineBytes,
          Math.max(needed, 256, (buffer?.length ?? 0) * 2),
        ),
      );
      if (buffer !== null) grown.set(buffer.subarray(0, this.#pendingLength));
      buffer = grown;
      this.#pending = buffer;
    }
    buffer.set(bytes, this.#pendingLength);
    this.#pendingLength = needed;
  }
}
