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

// ignoreBOM: a script line is sent as written, a leading BOM included.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const BOM = "\ufeff";

/**
 * Yields each line without its `\n` (or `\r\n`); a last line without `\n`
 * is yielded too. A BOM at the very start of the stream (an editor's mark of
 * a UTF-8 file) is dropped; anywhere else it is part of the line.
 *
 * @throws {LineTooLongError} when a line is longer than `maxLineBytes`.
 */
export async function* readLines(
  stream: ReadableStream<Uint8Array>,
  maxLineBytes = MAX_SCRIPT_LINE_BYTES,
): AsyncGenerator<string> {
  const ready: string[] = [];
  let first = true;
  const framer = new LineFramer(maxLineBytes, (line) => {
    const text = utf8.decode(line);
    ready.push(first && text.startsWith(BOM) ? text.slice(1) : text);
    first = false;
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
