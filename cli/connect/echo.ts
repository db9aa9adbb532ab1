/**
 * How the REPL shows a line: one that arrived, raw and explained (or as a
 * JSON object), and one of ours as it was sent.
 *
 * @example
 * ```ts ignore
 * import { sentText } from "./echo.ts";
 * console.log(sentText(new TextEncoder().encode("2:lobby\n"), "tcp", style, new Date()));
 * ```
 * @module
 */
import type { ChannelName, Incoming } from "../../client/mod.ts";
import { formatIncoming, formatSent, type Style } from "./format.ts";
import { toJson } from "./json.ts";
import { printable } from "./printable.ts";

/** The screen line for `incoming`, given its explanation. */
export function incomingText(
  incoming: Incoming,
  explained: string,
  options: { readonly json: boolean; readonly style: Style },
  now: Date,
): string {
  const explanation = incoming.via === "udp"
    ? `${explained} (over UDP)`
    : explained;
  return options.json
    ? JSON.stringify(toJson(incoming, now, options.style.showSecrets))
    : formatIncoming(
      printable(incoming.raw),
      explanation,
      incoming.message.kind,
      options.style,
      now,
    );
}

/** The screen line for `line` (with its `\n`), which we sent over `via`. */
export function sentText(
  line: Uint8Array,
  via: ChannelName,
  style: Style,
  now: Date,
): string {
  const text = printable(line.subarray(0, line.length - 1)).trimEnd();
  return formatSent(via === "udp" ? `${text}  (over UDP)` : text, style, now);
}
