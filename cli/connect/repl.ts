/**
 * The interactive side of `connect`: raw lines and slash commands in, every
 * incoming line out, raw and explained. Thin: the client library does the
 * protocol, the pure modules beside this one do the words.
 *
 * @example
 * ```ts ignore
 * import { runRepl } from "./repl.ts";
 * await runRepl({
 *   address: { host: "127.0.0.1", port: 7777 },
 *   style: { color: true, timestamps: false },
 *   historyFile: null,
 *   json: false,
 * });
 * ```
 * @module
 */
import { type Incoming, RelayClient } from "../../client/mod.ts";
import { type Address, connectOptions } from "./address.ts";
import { complete, wantsRooms } from "./completer.ts";
import { Explainer } from "./explain.ts";
import {
  formatIncoming,
  formatNotice,
  formatSent,
  type Style,
} from "./format.ts";
import { loadHistory, saveHistory } from "./history_file.ts";
import { toJson } from "./json.ts";
import { failureText, promptText, whoText } from "./notices.ts";
import { printable } from "./printable.ts";
import { helpText, parseSlash, type SlashCommand } from "./slash_command.ts";
import { watchReconnect } from "./reconnect_notices.ts";
import { Terminal } from "./terminal.ts";

/** How long tab completion waits for the server's room list. */
const ROOMS_FOR_COMPLETION_MS = 1_000;

/** What `runRepl` needs. */
export interface ReplOptions {
  readonly address: Address;
  readonly style: Style;
  /** Where history is kept across runs; null keeps none. */
  readonly historyFile: string | null;
  /** Print incoming lines as JSON objects instead. */
  readonly json: boolean;
}

/** Runs the REPL until /quit, Ctrl-D or Ctrl-C on an empty line. */
export async function runRepl(options: ReplOptions): Promise<void> {
  const history = options.historyFile === null
    ? []
    : await loadHistory(options.historyFile).catch(() => []);
  const repl = new Repl(options, history);
  await repl.run();
}

class Repl {
  readonly #options: ReplOptions;
  readonly #term: Terminal;
  #client: RelayClient | null = null;
  #explainer = new Explainer();
  /** Set while a typed raw line is sent: it is on screen already. */
  #quiet = false;
  #login: { username: string; password: string } | null = null;
  #joined: { room: string; password: string } | null = null;
  #rooms: string[] = [];
  /** Room lists asked for by tab completion, not to be shown. */
  #hiddenRoomLists = 0;
  readonly #groups = new Set<string>();
  #saving: Promise<void> = Promise.resolve();
  #done!: () => void;

  constructor(options: ReplOptions, history: string[]) {
    this.#options = options;
    this.#term = new Terminal({
      prompt: "(offline)> ",
      history,
      // Asks the server for its rooms only when completing /join's room.
      completer: (line) =>
        wantsRooms(line)
          ? this.#refreshRooms().then(() => this.#complete(line))
          : this.#complete(line),
      onHistory: (lines) => this.#saveHistory(lines),
    });
  }

  async run(): Promise<void> {
    const done = new Promise<void>((resolve) => (this.#done = resolve));
    this.#term.onLine((line) => void this.#handle(line));
    this.#term.onClose(() => void this.#quit());
    this.#notice(
      "switchboard connect: /help lists the commands; other lines are sent as they are",
    );
    await this.#connect();
    if (this.#client === null) {
      this.#notice(`is the server running? (deno task serve) then /reconnect`);
    }
    await done;
    await this.#saving;
  }

  async #connect(): Promise<boolean> {
    let client: RelayClient;
    try {
      client = await RelayClient.connect(
        connectOptions(this.#options.address),
      );
    } catch (error) {
      this.#notice((error as Error).message, "error");
      return false;
    }
    this.#client = client;
    this.#explainer = new Explainer();
    watchReconnect(client, ({ text, level }) => {
      if (this.#client !== client) return;
      this.#notice(text, level);
      this.#updatePrompt();
    });
    client.onMessage((incoming) => this.#show(incoming));
    client.onSent((line, via) => {
      if (!this.#quiet) {
        const text = this.#text(line).trimEnd();
        this.#print(
          formatSent(
            via === "udp" ? `${text}  (over UDP)` : text,
            this.#options.style,
            new Date(),
          ),
        );
      }
    });
    void client.closed.then((info) => {
      if (this.#client !== client) return;
      this.#client = null;
      if (!info.byClient) {
        const why = info.error ? `: ${info.error.message}` : "";
        this.#notice(
          `connection lost${why}; /reconnect to connect again`,
          "error",
        );
      }
      this.#updatePrompt();
    });
    const { host, port, url } = this.#options.address;
    this.#notice(`connected to ${url ?? `${host}:${port}`}`);
    this.#updatePrompt();
    return true;
  }

  #complete(line: string): [string[], string] {
    return complete(line, {
      rooms: this.#rooms,
      members: this.#client?.members ?? [],
      groups: [...this.#groups],
    });
  }

  /**
   * Asks the server for its rooms, for completing `/join`, without showing
   * the request or its answer; keeps the last list when it takes too long.
   */
  async #refreshRooms(): Promise<void> {
    const client = this.#client;
    if (client === null || client.sessionId === null) return;
    this.#quiet = true;
    this.#hiddenRoomLists++;
    const answer = client.listRooms().catch(() => null);
    this.#quiet = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ROOMS_FOR_COMPLETION_MS);
    });
    const rooms = await Promise.race([answer, late]);
    clearTimeout(timer);
    if (rooms !== null) this.#rooms = rooms.map((r) => r.name);
  }

  #show(incoming: Incoming): void {
    const now = new Date();
    const msg = incoming.message;
    if (msg.kind === "room-list") {
      this.#rooms = msg.rooms.map((r) => r.name);
      if (this.#hiddenRoomLists > 0) {
        this.#hiddenRoomLists--;
        return; // asked for by tab completion
      }
    }
    const explained = this.#explainer.explain(incoming);
    const explanation = incoming.via === "udp"
      ? `${explained} (over UDP)`
      : explained;
    this.#print(
      this.#options.json
        ? JSON.stringify(toJson(incoming, now, this.#options.style.showSecrets))
        : formatIncoming(
          printable(incoming.raw),
          explanation,
          msg.kind,
          this.#options.style,
          now,
        ),
    );
    this.#updatePrompt();
  }

  async #handle(line: string): Promise<void> {
    const command = parseSlash(line);
    if (command === null) return await this.#raw(line);
    try {
      await this.#run(command);
    } catch (error) {
      this.#failed(error);
    }
  }

  async #raw(line: string): Promise<void> {
    const client = this.#online();
    if (client === null) return;
    this.#quiet = true;
    try {
      await client.sendRaw(line);
    } catch (error) {
      this.#failed(error);
    } finally {
      this.#quiet = false;
    }
  }

  async #run(command: SlashCommand): Promise<void> {
    switch (command.kind) {
      case "help":
        return this.#print(helpText());
      case "quit":
        return await this.#quit();
      case "usage":
        return this.#notice(command.message, "error");
      case "reconnect":
        return await this.#reconnect();
      case "who":
        return this.#who();
      default:
        break;
    }
    const client = this.#online();
    if (client === null) return;
    switch (command.kind) {
      case "login": {
        const password = await this.#term.readSecret("Password: ");
        if (password === null) return this.#notice("login cancelled");
        await client.login(command.username, password);
        this.#login = { username: command.username, password };
        return;
      }
      case "rooms":
        await client.listRooms(command.password);
        return;
      case "join":
        await client.join(command.room, command.password);
        this.#joined = { room: command.room, password: command.password };
        return;
      case "leave":
        await client.leave();
        this.#joined = null;
        return;
      case "say":
        return await client.sendToOthers(command.text, this.#lossy(client));
      case "all":
        return await client.sendToAll(command.text, this.#lossy(client));
      case "to":
        return await client.sendTo(
          command.ids,
          command.text,
          this.#lossy(client),
        );
      case "group":
        await client.defineGroup(command.name, command.ids);
        if (command.ids.length === 0) this.#groups.delete(command.name);
        else this.#groups.add(command.name);
        return;
      case "g":
        return await client.sendToGroup(
          command.name,
          command.text,
          this.#lossy(client),
        );
      case "raw":
        return await this.#raw(command.line);
      case "udp":
        return await this.#udpSwitch(client, command.on);
    }
  }

  /** `/udp on|off`: while on, /say, /all, /to and /g go as datagrams. */
  async #udpSwitch(client: RelayClient, on: boolean): Promise<void> {
    if (!on) {
      await client.closeUdp();
      return this.#notice("UDP channel closed; everything goes over TCP");
    }
    await client.openUdp();
    this.#notice(
      "UDP channel open: /say, /all, /to and /g now go as datagrams (lossy); raw lines and the rest over TCP",
    );
  }

  /** The channel for lossy sends: UDP while its channel is open. */
  #lossy(client: RelayClient): { channel: "tcp" | "udp" } {
    return { channel: client.udp ? "udp" : "tcp" };
  }

  #who(): void {
    this.#notice(
      this.#client === null ? "not connected" : whoText(this.#client),
    );
  }

  async #reconnect(): Promise<void> {
    const current = this.#client;
    if (current !== null && current.sessionId !== null) {
      // A session to keep: drop this connection and resume it on a new one.
      this.#notice("dropping the connection; the session resumes on a new one");
      current.dropConnection();
      return;
    }
    const old = this.#client;
    this.#client = null;
    await old?.close();
    if (!await this.#connect()) return;
    const client = this.#client!;
    if (this.#login !== null) {
      this.#notice(`logging in again as ${this.#login.username}`);
      await client.login(this.#login.username, this.#login.password);
      if (this.#joined !== null) {
        this.#notice(`joining ${this.#joined.room} again`);
        await client.join(this.#joined.room, this.#joined.password);
      }
    }
  }

  async #quit(): Promise<void> {
    this.#term.close();
    const client = this.#client;
    this.#client = null;
    await client?.close();
    this.#done();
  }

  #online(): RelayClient | null {
    if (this.#client === null) {
      this.#notice("not connected; /reconnect to connect again", "error");
    }
    return this.#client;
  }

  #failed(error: unknown): void {
    if (!(error instanceof Error)) throw error;
    const text = failureText(error);
    if (text !== null) this.#notice(text, "error");
  }

  #updatePrompt(): void {
    this.#term.setPrompt(promptText(this.#client));
  }

  #saveHistory(lines: readonly string[]): void {
    const file = this.#options.historyFile;
    if (file === null) return;
    this.#saving = this.#saving
      .then(() => saveHistory(file, lines))
      .catch((error) =>
        this.#notice(`history not saved: ${error.message}`, "error")
      );
  }

  #notice(text: string, level: "info" | "error" = "info"): void {
    this.#print(formatNotice(text, level, this.#options.style, new Date()));
  }

  #print(text: string): void {
    this.#term.print(text);
  }

  #text(line: Uint8Array): string {
    return printable(line.subarray(0, line.length - 1));
  }
}
