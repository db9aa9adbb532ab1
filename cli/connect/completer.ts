/**
 * Tab completion for the REPL: command names, then what each command
 * takes (rooms seen in `1:` lists, the room's member ids, our groups).
 * Returns what `node:readline`'s completer returns. Pure.
 *
 * @example
 * ```ts
 * import { complete } from "./completer.ts";
 * const ctx = { rooms: ["lobby", "lab"], members: [3, 14], groups: ["team"] };
 * const [hits, word] = complete("/join l", ctx);
 * console.assert(hits.join() === "lobby,lab" && word === "l");
 * console.assert(complete("/jo", ctx)[0][0] === "/join ");
 * ```
 * @module
 */
import { COMMANDS } from "./slash_command.ts";

/** What completion can offer. */
export interface CompletionContext {
  /** Room names from the last room list. */
  readonly rooms: readonly string[];
  /** The current room's member ids. */
  readonly members: readonly number[];
  /** Groups defined in this session. */
  readonly groups: readonly string[];
}

function matching(options: readonly string[], word: string): string[] {
  return options.filter((o) => o.startsWith(word));
}

/** True when the word being typed in `line` is a room for `/join`. */
export function wantsRooms(line: string): boolean {
  return /^\/join [^ ]*$/.test(line);
}

/** Candidates for the word being typed, and that word. */
export function complete(
  line: string,
  ctx: CompletionContext,
): [string[], string] {
  if (!line.startsWith("/") || line.startsWith("//")) return [[], line];
  const words = line.split(" ");
  const word = words.at(-1)!;
  if (words.length === 1) {
    const hits = COMMANDS.filter((c) => `/${c.name}`.startsWith(word));
    // One command left: complete it with the space its arguments need.
    if (hits.length === 1 && hits[0]!.args !== "") {
      return [[`/${hits[0]!.name} `], word];
    }
    return [hits.map((c) => `/${c.name}`), word];
  }
  const command = words[0]!.slice(1);
  const position = words.length - 1;
  const ids = ctx.members.map(String);
  const lastId = word.slice(word.lastIndexOf(",") + 1);
  switch (`${command} ${position}`) {
    case "join 1":
      return [matching(ctx.rooms, word), word];
    case "to 1":
    case "group 2":
      return [matching(ids, lastId), lastId];
    case "group 1":
    case "g 1":
      return [matching(ctx.groups, word), word];
    case "udp 1":
      return [matching(["on", "off"], word), word];
    default:
      return [[], word];
  }
}
