/**
 * The REPL's slash commands that need a connection: each calls the client
 * library, and what a later `/reconnect` needs (the login, the room, the
 * groups for completion) is remembered.
 *
 * @example
 * ```ts ignore
 * import { runSessionCommand } from "./session_commands.ts";
 * await runSessionCommand(client, { kind: "join", room: "lobby", password: "" }, host);
 * ```
 * @module
 */
import type { RelayClient } from "../../client/mod.ts";
import type { SlashCommand } from "./slash_command.ts";

/** A slash command that is sent to the server (not /help, /quit, ...). */
export type SessionCommand = Exclude<
  SlashCommand,
  { readonly kind: "help" | "quit" | "usage" | "reconnect" | "who" }
>;

/** What the REPL remembers of its session, for `/reconnect` and completion. */
export interface Remembered {
  login: { username: string; password: string } | null;
  joined: { room: string; password: string } | null;
  readonly groups: Set<string>;
}

/** What the commands need from the REPL. */
export interface SessionCommandHost {
  readonly remembered: Remembered;
  /** Asks for a secret without echoing it; null when cancelled. */
  readSecret(prompt: string): Promise<string | null>;
  notice(text: string): void;
  /** Sends a raw line as typed. */
  raw(line: string): Promise<void>;
}

/**
 * Runs `command` on `client`.
 *
 * @throws whatever the client library throws (the REPL says it).
 */
export async function runSessionCommand(
  client: RelayClient,
  command: SessionCommand,
  host: SessionCommandHost,
): Promise<void> {
  const remembered = host.remembered;
  switch (command.kind) {
    case "login": {
      const password = await host.readSecret("Password: ");
      if (password === null) return host.notice("login cancelled");
      await client.login(command.username, password);
      remembered.login = { username: command.username, password };
      return;
    }
    case "rooms":
      await client.listRooms(command.password);
      return;
    case "join":
      await client.join(command.room, command.password);
      remembered.joined = { room: command.room, password: command.password };
      return;
    case "leave":
      await client.leave();
      remembered.joined = null;
      return;
    case "say":
      return await client.sendToOthers(command.text, lossy(client));
    case "all":
      return await client.sendToAll(command.text, lossy(client));
    case "to":
      return await client.sendTo(command.ids, command.text, lossy(client));
    case "group":
      await client.defineGroup(command.name, command.ids);
      if (command.ids.length === 0) remembered.groups.delete(command.name);
      else remembered.groups.add(command.name);
      return;
    case "g":
      return await client.sendToGroup(
        command.name,
        command.text,
        lossy(client),
      );
    case "raw":
      return await host.raw(command.line);
    case "udp":
      return await udpSwitch(client, command.on, host);
  }
}

/** `/udp on|off`: while on, /say, /all, /to and /g go as datagrams. */
async function udpSwitch(
  client: RelayClient,
  on: boolean,
  host: SessionCommandHost,
): Promise<void> {
  if (!on) {
    await client.closeUdp();
    return host.notice("UDP channel closed; everything goes over TCP");
  }
  await client.openUdp();
  host.notice(
    "UDP channel open: /say, /all, /to and /g now go as datagrams (lossy); raw lines and the rest over TCP",
  );
}

/** The channel for lossy sends: UDP while its channel is open. */
function lossy(client: RelayClient): { channel: "tcp" | "udp" } {
  return { channel: client.udp ? "udp" : "tcp" };
}
