/**
 * Builds relayed lines (`3:<id>:<payload>\n`) in one reusable buffer.
 *
 * The frame it returns is valid until the next call: the relay hands it to
 * every receiver, each of which copies it into its own queue, so a message
 * costs no allocation at all.
 *
 * @example
 * ```ts
 * import { FrameBuilder } from "./frame_builder.ts";
 * import { messagePrefix } from "./encode.ts";
 * const frames = new FrameBuilder();
 * const frame = frames.relay(messagePrefix(7), new TextEncoder().encode("hi"));
 * console.assert(new TextDecoder().decode(frame) === "3:7:hi\n");
 * ```
 * @module
 */

const LF = 0x0a;

/** A scratch buffer for one frame at a time. One per server, never shared. */
export class FrameBuilder {
  #scratch = new Uint8Array(4096);

  /** `prefix + payload + \n`, valid until the next call. */
  relay(prefix: Uint8Array, payload: Uint8Array): Uint8Array {
    const length = prefix.length + payload.length + 1;
    if (length > this.#scratch.length) {
      let size = this.#scratch.length * 2;
      while (size < length) size *= 2;
      this.#scratch = new Uint8Array(size);
    }
    const frame = this.#scratch.subarray(0, length);
    frame.set(prefix, 0);
    frame.set(payload, prefix.length);
    frame[length - 1] = LF;
    return frame;
  }
}
