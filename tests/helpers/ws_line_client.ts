/**
 * A raw WebSocket line client for tests (npm:ws, so that it can pause its
 * socket, send an Origin, and trust a test CA): one line per message, read
 * with deadlines. The same reading methods as {@linkcode LineClient}.
 */
// @ts-types="@types/ws"
import { WebSocket } from "ws";
import { DEADLINE_MS, Inbox } from "./inbox.ts";

const encoder = new TextEncoder();

/** How to open a {@linkcode WsLineClient}. */
export interface WsLineOptions {
  /** wss:// trusting this CA (PEM); ws:// without. */
  readonly ca?: string;
  /** The Origin header to send (none by default, like a program). */
  readonly origin?: string;
  /** The path; `/ws` by default. */
  readonly path?: string;
}

/** A WebSocket client that sees each message as one line. */
export class WsLineClient implements AsyncDisposable {
  readonly #ws: WebSocket;
  readonly #inbox = new Inbox("message");
  readonly #closed: Promise<void>;
  /** The close code, once closed (1009: message too big). */
  closeCode: number | null = null;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on("message", (data: Uint8Array) => this.#inbox.push(data.slice()));
    this.#closed = new Promise((resolve) =>
      ws.on("close", (code: number) => {
        this.closeCode = code;
        this.#inbox.end();
        resolve();
      })
    );
  }

  /**
   * Connects to 127.0.0.1:`port` (localhost for wss, to match the test
   * certificate).
   *
   * @throws when the upgrade is refused (e.g. `Unexpected server response: 403`).
   */
  static connect(port: number, options: WsLineOptions = {}) {
    const scheme = options.ca === undefined ? "ws" : "wss";
    const host = options.ca === undefined ? "127.0.0.1" : "localhost";
    const ws = new WebSocket(
      `${scheme}://${host}:${port}${options.path ?? "/ws"}`,
      { ca: options.ca, origin: options.origin },
    );
    return new Promise<WsLineClient>((resolve, reject) => {
      ws.once("error", reject);
      ws.once("open", () => {
        ws.off("error", reject);
        ws.on("error", () => {});
        resolve(new WsLineClient(ws));
      });
    });
  }

  /** Every line received so far, as text. */
  get history(): readonly string[] {
    return this.#inbox.history;
  }

  /** Sends each line as one text message. */
  send(...lines: string[]): Promise<void> {
    return Promise.all(lines.map((line) => this.write(encoder.encode(line))))
      .then(() => {});
  }

  /** Sends `bytes` as one binary message (no `\n` is added or removed). */
  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#ws.send(bytes, (error) => error ? reject(error) : resolve())
    );
  }

  /** Stops reading: the socket is paused and the kernel's window closes. */
  pause(): void {
    this.#ws.pause();
  }

  /** The next line as bytes. */
  nextBytes(ms = DEADLINE_MS): Promise<Uint8Array> {
    return this.#inbox.nextBytes(ms);
  }

  /** The next line as text. */
  next(ms = DEADLINE_MS): Promise<string> {
    return this.#inbox.next(ms);
  }

  /** The next `n` lines. */
  take(n: number, ms = DEADLINE_MS): Promise<string[]> {
    return this.#inbox.take(n, ms);
  }

  /** Round trip with `1:`: the lines that arrived before its answer. */
  async sync(ms = DEADLINE_MS): Promise<string[]> {
    await this.send("1:");
    const before: string[] = [];
    while (true) {
      const line = await this.next(ms);
      if (line.startsWith("1:") || line === "0:-1") return before;
      before.push(line);
    }
  }

  /** Logs in; the session id. */
  async login(name: string, password = "pw"): Promise<number> {
    return (await this.welcome(name, password)).id;
  }

  /** Logs in; the id and the UDP secret of the reply. */
  async welcome(name: string, password = "pw") {
    await this.send(`0:${name}:${password}`);
    const line = await this.next();
    const match = /^0:(\d+)(?::([0-9a-f]{32}))?$/.exec(line);
    if (match === null) throw new Error(`login as ${name} answered ${line}`);
    return { id: Number(match[1]), secret: match[2] ?? null };
  }

  /** Resolves when the connection is closed; fails after `ms`. */
  closed(ms = DEADLINE_MS): Promise<void> {
    return this.#inbox.endOf(ms);
  }

  /** Whether the server has closed the connection. */
  get ended(): boolean {
    return this.#inbox.ended;
  }

  /** Closes at once and waits for the close event. */
  async close(): Promise<void> {
    this.#ws.terminate();
    await this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
