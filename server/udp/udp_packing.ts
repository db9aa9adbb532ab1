/**
 * Packing relayed messages for one receiver: consecutive messages joined by
 * `\n` into as few datagrams as fit the limit, in their order. A relayed
 * message never holds a `\n` (the listener drops a datagram with an inner
 * one), so a receiver that splits a datagram on `\n` gets the messages back
 * exactly. Nothing is split across datagrams: a message that does not fit
 * starts the next one, and a message at or over the limit goes alone.
 *
 * @example
 * ```ts
 * import { packMessages } from "./udp_packing.ts";
 * const utf8 = new TextEncoder();
 * const out: string[] = [];
 * packMessages(
 *   [utf8.encode("3:1:a"), utf8.encode("3:2:b"), utf8.encode("3:1:c")],
 *   11,
 *   { sendAlone: (datagram) => out.push(new TextDecoder().decode(datagram)) },
 * );
 * console.assert(out.join("|") === "3:1:a\n3:2:b|3:1:c");
 * ```
 * @module
 */
import { PACKED_SEPARATOR } from "../../protocol/mod.ts";

/** Where packed datagrams go: a channel. */
export interface PackedSink {
  /** Sends one datagram as it is. */
  sendAlone(datagram: Uint8Array): void;
}

/**
 * Sends `messages` to `sink` packed greedily in order, each datagram at
 * most `maxBytes` (unless it is one message that is larger by itself).
 * A datagram of one message is the message itself, not a copy; a packed one
 * is a new array (the socket may keep it until sent). Returns how many
 * messages shared a datagram with an earlier one: the datagrams saved.
 */
export function packMessages(
  messages: readonly Uint8Array[],
  maxBytes: number,
  sink: PackedSink,
): number {
  let saved = 0;
  const n = messages.length;
  let i = 0;
  while (i < n) {
    const first = messages[i]!;
    let bytes = first.length;
    let j = i + 1;
    while (j < n && bytes + 1 + messages[j]!.length <= maxBytes) {
      bytes += 1 + messages[j]!.length;
      j++;
    }
    if (j === i + 1) sink.sendAlone(first);
    else {
      const datagram = new Uint8Array(bytes);
      let at = 0;
      for (let k = i; k < j; k++) {
        if (k > i) datagram[at++] = PACKED_SEPARATOR;
        datagram.set(messages[k]!, at);
        at += messages[k]!.length;
      }
      sink.sendAlone(datagram);
      saved += j - i - 1;
    }
    i = j;
  }
  return saved;
}
