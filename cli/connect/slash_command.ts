/**
 * The REPL's slash commands: the table behind `/help` and tab completion,
 * and the parser from a typed line to a typed command. Pure.
 *
 * @example
 * ```ts
 * import { parseSlash } from "./slash_command.ts";
 * const cmd = parseSlash("/to 7,9 see you: there");
 * console.assert(cmd?.kind === "to" && cmd.text === "see you: there");
 * console.assert(parseSlash("3:0:raw") === null);
 * ```
 * @module
 */

/** A slash command, parsed. */
export type SlashCommand =
  | { readonly kind: "login"; readonly username: string }
  | { readonly kind: "rooms"; readonly password: string }
  | { readonly kind: "join"; readonly room: string; readonly password: string }
  | { readonly kind: "leave" }
  | { readonly kind: "say"; readonly text: string }
  | { readonly kind: "all"; readonly text: string }
  | { readonly kind: "to"; readonly ids: number[]; readonly text: string }
  | { readonly kind: "group"; readonly name: string; readonly ids: number[] }
  | { readonly kind: "g"; readonly name: string; readonly text: string }
  | { readonly kind: "udp"; readonly on: boolean }
  | { readonly kind: "who" }
  | { readonly kind: "help" }
  | { readonly kind: "quit" }
  | { readonly kind: "reconnect" }
  /** `//text` sends `/text` verbatim. */
  | { readonly kind: "raw"; readonly line: string }
  /** A slash command typed wrong: what to tell the person. */
  | { readonly kind: "usage"; readonly message: string };

/** One row of `/help`. */
export interface CommandHelp {
  readonly name: string;
  readonly args: string;
  readonly help: string;
}

/** Every command, in the order `/help` lists them. */
export const COMMANDS: readonly CommandHelp[] = [
  { name: "login", args: "NAME", help: "log in (asks for the password)" },
  { name: "rooms", args: "[PASSWORD]", help: "list rooms (1:)" },
  { name: "join", args: "ROOM [PASSWORD]", help: "join or create a room (2:)" },
  { name: "leave", args: "", help: "leave the room (2:-1)" },
  { name: "say", args: "TEXT", help: "to the others in the room (3:0)" },
  { name: "all", args: "TEXT", help: "to everyone in the room, you too (3:1)" },
  { name: "to", args: "ID[,ID…] TEXT", help: "to users anywhere (3:4)" },
  {
    name: "group",
    args: "NAME [ID,ID…]",
    help: "define a group; no ids deletes it (5:)",
  },
  { name: "g", args: "NAME TEXT", help: "to a group's members (4:)" },
  {
    name: "udp",
    args: "on|off",
    help:
      "open or close the UDP channel: /say, /all, /to and /g then go as datagrams",
  },
  { name: "who", args: "", help: "members and master of the room" },
  {
    name: "reconnect",
    args: "",
    help:
      "drop the connection and resume the session on a new one (or connect again)",
  },
  { name: "help", args: "", help: "this list" },
  { name: "quit", args: "", help: "leave the REPL (also Ctrl-D)" },
];

/** `/help`'s text. */
export function helpText(): string {
  const rows = COMMANDS.map((c) => [`/${c.name} ${c.args}`.trimEnd(), c.help]);
  const width = Math.max(...rows.map(([usage]) => usage!.length));
  return [
    "Lines not starting with / are sent as they are (raw protocol, e.g. 3:1:hi).",
    ...rows.map(([usage, help]) => `  ${usage!.padEnd(width)}  ${help}`),
    "  //TEXT sends /TEXT as a raw line.",
  ].join("\n");
}

/** Parses `a,b,c` or `a b c` into session ids; null when one is not an id. */
export function parseIds(text: string): number[] | null {
  const parts = text.split(/[,\s]+/).filter((p) => p !== "");
  if (!parts.every((p) => /^\d{1,15}$/.test(p))) return null;
  return parts.map(Number);
}

function usage(name: string): SlashCommand {
  const c = COMMANDS.find((c) => c.name === name)!;
  return { kind: "usage", message: `usage: /${c.name} ${c.args}`.trimEnd() };
}

/** Splits off the first word; the rest keeps its inner spaces. */
function firstWord(text: string): [string, string] {
  const m = /^(\S*)\s?(.*)$/s.exec(text)!;
  return [m[1]!, m[2]!];
}

/**
 * Parses a typed line: a {@linkcode SlashCommand}, or null when the line is
 * not one (it is then sent as a raw line).
 */
export function parseSlash(line: string): SlashCommand | null {
  if (!line.startsWith("/")) return null;
  if (line.startsWith("//")) return { kind: "raw", line: line.slice(1) };
  const [name, rest] = firstWord(line.slice(1));
  const args = rest.trim();
  const words = args === "" ? [] : args.split(/\s+/);
  switch (name) {
    case "login":
      return words.length === 1
        ? { kind: "login", username: words[0]! }
        : usage(name);
    case "rooms":
      return words.length <= 1
        ? { kind: "rooms", password: words[0] ?? "" }
        : usage(name);
    case "join":
      return words.length === 1 || words.length === 2
        ? { kind: "join", room: words[0]!, password: words[1] ?? "" }
        : usage(name);
    case "say":
    case "all":
      return rest === "" ? usage(name) : { kind: name, text: rest };
    case "to": {
      const [idText, text] = firstWord(rest);
      const ids = parseIds(idText);
      return ids === null || ids.length === 0
        ? usage(name)
        : { kind: "to", ids, text };
    }
    case "group": {
      const [group, idText] = firstWord(args);
      const ids = parseIds(idText);
      return group === "" || ids === null
        ? usage(name)
        : { kind: "group", name: group, ids };
    }
    case "g": {
      const [group, text] = firstWord(rest);
      return group === "" ? usage(name) : { kind: "g", name: group, text };
    }
    case "udp":
      return args === "on" || args === "off"
        ? { kind: "udp", on: args === "on" }
        : usage(name);
    case "leave":
    case "who":
    case "help":
    case "quit":
    case "reconnect":
      return words.length === 0 ? { kind: name } : usage(name);
    default:
      return {
        kind: "usage",
        message: `unknown command /${name}; /help lists the commands`,
      };
  }
}
