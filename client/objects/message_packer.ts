/**
 * Packs groups of tokens (one object's part each) into as few payloads as
 * fit a byte limit, so that a tick's updates or a snapshot cost one line
 * (or one datagram) each instead of one per object: the server's rate
 * limit counts lines.
 *
 * @example
 * ```ts
 * import { packGroups } from "./message_packer.ts";
 * let seq = 0;
 * const payloads = packGroups([["7-1", "1", "2"], ["7-2", "1", "3"]], 16, () => `U ${++seq}`);
 * console.assert(payloads.join("|") === "U 1 7-1 1 2|U 2 7-2 1 3");
 * ```
 * @module
 */

/**
 * Payloads `head() group group …`, each at most `maxBytes` UTF-8 bytes
 * unless a single group is larger (it then travels alone). `head` is
 * called once per payload, in order.
 */
export function packGroups(
  groups: readonly (readonly string[])[],
  maxBytes: number,
  head: () => string,
): string[] {
  const payloads: string[] = [];
  let current = "";
  let bytes = 0;
  let headBytes = 0;
  for (const group of groups) {
    const text = group.join(" ");
    const size = utf8Length(text) + 1;
    if (current !== "" && bytes + size > maxBytes && bytes > headBytes) {
      payloads.push(current);
      current = "";
    }
    if (current === "") {
      current = head();
      headBytes = bytes = utf8Length(current);
    }
    current += " " + text;
    bytes += size;
  }
  if (current !== "") payloads.push(current);
  return payloads;
}

/** The UTF-8 length of `text` without encoding it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) n += 1;
    else if (code < 0x800) n += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
