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
import { wantsRooms } from "./completer.ts";
import { Explainer } from "./explain.ts";
import { incomingText, sentText } from "./echo.ts";
import { formatNotice, type Style } from "./format.ts";
import { loadHistory, saveHistory } from "./history_file.ts";
import { failureText, promptText, whoText } from "./notices.ts";
import { helpText, parseSlash, type SlashCommand } from "./slash_command.ts";
import { watchReconnect } from "./reconnect_notices.ts";
import { RoomCompletion } from "./room_completion.ts";
import { type Remembered, runSessionCommand } from "./session_commands.ts";
import { Terminal } from "./terminal.ts";

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
  /** The login, room and groups, for /reconnect and completion. */
  readonly #remembered: Remembered = {
    login: null,
    joined: null,
    groups: new Set<string>(),
  };
  readonly #completion = new RoomCompletion();
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
        this.#print(sentText(line, via, this.#options.style, new Date()));
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
    return this.#completion.complete(
      line,
      this.#client,
      this.#remembered.groups,
    );
  }

  /** Asks for the rooms without showing the request or its answer. */
  #refreshRooms(): Promise<void> {
    return this.#completion.refresh(this.#client, (send) => {
      this.#quiet = true;
      const sent = send();
      this.#quiet = false;
      return sent;
    });
  }

  #show(incoming: Incoming): void {
    const now = new Date();
    const msg = incoming.message;
    if (this.#completion.seen(msg)) return; // asked for by tab completion
    const explained = this.#explainer.explain(incoming);
    this.#print(incomingText(incoming, explained, this.#options, now));
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
    await runSessionCommand(client, command, {
      remembered: this.#remembered,
      readSecret: (prompt) => this.#term.readSecret(prompt),
      notice: (text) => this.#notice(text),
      raw: (line) => this.#raw(line),
    });
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
    const remembered = this.#remembered;
    const login = remembered.login;
    if (login !== null) {
      this.#notice(`logging in again as ${login.username}`);
      await client.login(login.username, login.password);
      const joined = remembered.joined;
      if (joined !== null) {
        this.#notice(`joining ${joined.room} again`);
        await client.join(joined.room, joined.password);
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
}
