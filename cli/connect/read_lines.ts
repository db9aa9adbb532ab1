/**
 * A byte stream as text lines, with the project's capped line framer.
 *
 * @example
 * ```ts
 * import { readLines } from "./read_lines.ts";
 * const stream = ReadableStream.from([new TextEncoder().encode("a\nb\r\nc")]);
 * const lines = await Array.fromAsync(readLines(stream, 1024));
 * console.assert(lines.join() === "a,b,c");
 * ```
 * @module
 */
import { LineFramer } from "../../protocol/mod.ts";

/** The longest script line read (a protocol line plus room for a step word). */
export const MAX_SCRIPT_LINE_BYTES = 1024 * 1024;

const utf8 = new TextDecoder();

/**
 * Yields each line without its `\n` (or `\r\n`); a last line without `\n`
 * is yielded too.
 *
 * @throws {LineTooLongError} when a line is longer than `maxLineBytes`.
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  maxLineBytes = MAX_SCRIPT_LINE_BYTES,
): AsyncGenerator<string> {
  const ready: string[] = [];
  const framer = new LineFramer(maxLineBytes, (line) => {
    ready.push(utf8.decode(line));
  });
  let tail = false;
  for await (const chunk of stream) {
    framer.push(chunk);
    tail = chunk.length > 0 && chunk[chunk.length - 1] !== 0x0a;
    yield* ready.splice(0);
  }
  if (tail || framer.buffered > 0) {
    framer.push(new Uint8Array([0x0a]));
    yield* ready.splice(0);
  }
}
