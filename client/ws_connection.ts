/**
 * A line connection over a WebSocket: one protocol line per message each
 * way (see docs/protocol.md, "WebSocket"). Uses only the standard
 * `WebSocket` API, so it runs in browsers and in Deno alike.
 *
 * A browser's WebSocket cannot stop reading. When the consumer is behind
 * (the `messages()` iterator full), lines are held here, up to
 * `maxHeldLines`; past that the connection is closed with an error instead
 * of holding more (over TCP, reading would simply pause). A WebSocket has no
 * half-close either: `close()` sends the close frame after what was
 * written, and answers the server had not yet sent are lost.
 *
 * @example
 * ```ts ignore
 * import { WsConnection } from "./ws_connection.ts";
 * const conn = await WsConnection.open("ws://127.0.0.1:8080/ws", {
 *   maxLineBytes: 1 << 20, maxPendingBytes: 1 << 20, connectTimeoutMs: 10_000,
 *   maxHeldLines: 10_000, onLine: (line) => console.log(line), ready: () => undefined,
 * });
 * await conn.write(new TextEncoder().encode("1:\n"));
 * await conn.close();
 * ```
 * @module
 */
import {
  ConnectFailedError,
  ConnectionClosedError,
  SendBufferFullError,
} from "./errors.ts";
import type {
  CloseInfo,
  LineConnection,
  LineConnectionOptions,
} from "./line_connection.ts";

const LF = 0x0a;
const utf8 = new TextEncoder();
/** How long `close()` waits for the server's close frame. */
const CLOSE_WAIT_MS = 2_000;

/** One open WebSocket to a relay server. */
export class WsConnection implements LineConnection {
  readonly #ws: WebSocket;
  readonly #options: LineConnectionOptions;
  readonly #closed: Promise<CloseInfo>;
  #closing = false;
  #done = false;
  #failure: Error | undefined;
  #held: Uint8Array[] = [];
  #waiting = false;

  private constructor(ws: WebSocket, options: LineConnectionOptions) {
    this.#ws = ws;
    this.#options = options;
    const { promise, resolve } = Promise.withResolvers<CloseInfo>();
    this.#closed = promise;
    ws.onmessage = (event) => this.#message(event.data);
    ws.onclose = (event) => {
      this.#done = true;
      this.#held = [];
      const error = this.#failure ??
        (this.#closing || event.code === 1000
          ? undefined
          : new ConnectionClosedError(
            `the server closed the WebSocket (${event.code}${
              event.reason ? `: ${event.reason}` : ""
            })`,
          ));
      resolve({ byClient: this.#closing, error });
    };
  }

  /**
   * Opens `url` (ws:// or wss://). `init` is passed to the `WebSocket`
   * constructor when given (Deno's non-standard options: a custom CA).
   *
   * @throws {ConnectFailedError} when the server cannot be reached in time.
   */
  static open(
    url: string,
    options: LineConnectionOptions,
    init?: unknown,
  ): Promise<WsConnection> {
    let ws: WebSocket;
    try {
      ws = init === undefined
        ? new WebSocket(url)
        : new (WebSocket as unknown as new (
          u: string,
          i: unknown,
        ) => WebSocket)(
          url,
          init,
        );
    } catch (cause) {
      return Promise.reject(new ConnectFailedError(url, { cause }));
    }
    ws.binaryType = "arraybuffer";
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.onopen = ws.onerror = ws.onclose = null;
        ws.close();
        reject(
          new ConnectFailedError(url, {
            cause: new Error(`no answer within ${options.connectTimeoutMs} ms`),
          }),
        );
      }, options.connectTimeoutMs);
      ws.onerror = (event) => {
        clearTimeout(timer);
        ws.onopen = ws.onerror = ws.onclose = null;
        const message = (event as ErrorEvent).message ?? "the WebSocket failed";
        reject(new ConnectFailedError(url, { cause: new Error(message) }));
      };
      ws.onclose = ws.onerror;
      ws.onopen = () => {
        clearTimeout(timer);
        ws.onopen = null;
        const conn = new WsConnection(ws, options);
        ws.onerror = () => {
          conn.#failure ??= new ConnectionClosedError("WebSocket error");
        };
        resolve(conn);
      };
    });
  }

  get closed(): Promise<CloseInfo> {
    return this.#closed;
  }

  get isClosed(): boolean {
    return this.#closing || this.#done;
  }

  get pendingBytes(): number {
    return this.#ws.bufferedAmount;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new ConnectionClosedError());
    if (
      this.#ws.bufferedAmount + bytes.length > this.#options.maxPendingBytes
    ) {
      return Promise.reject(
        new SendBufferFullError(this.#options.maxPendingBytes),
      );
    }
    let start = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(LF, start);
      if (end === -1) end = bytes.length;
      // One line per message, sent as binary: any payload byte goes through.
      this.#ws.send(bytes.subarray(start, end));
      start = end + 1;
    }
    return Promise.resolve();
  }

  #message(data: unknown): void {
    if (this.#done) return;
    const line = typeof data === "string"
      ? utf8.encode(data)
      : new Uint8Array(data as ArrayBuffer);
    if (line.length > this.#options.maxLineBytes) {
      this.#fail(
        `a ${line.length}-byte line from the server is over the ${this.#options.maxLineBytes}-byte limit`,
      );
      return;
    }
    if (this.#held.length > 0 || this.#waiting) {
      this.#hold(line);
      return;
    }
    const paused = this.#closing ? undefined : this.#options.ready();
    if (paused === undefined) {
      this.#options.onLine(line);
      return;
    }
    this.#hold(line);
    this.#waitFor(paused);
  }

  #hold(line: Uint8Array): void {
    if (this.#held.length >= this.#options.maxHeldLines) {
      this.#fail(
        `the consumer fell ${this.#options.maxHeldLines} lines behind a WebSocket, which cannot pause`,
      );
      return;
    }
    this.#held.push(line);
  }

  #waitFor(paused: Promise<void>): void {
    this.#waiting = true;
    paused.then(() => {
      this.#waiting = false;
      while (this.#held.length > 0 && !this.#done) {
        const next = this.#closing ? undefined : this.#options.ready();
        if (next !== undefined) return this.#waitFor(next);
        this.#options.onLine(this.#held.shift()!);
      }
    });
  }

  #fail(reason: string): void {
    this.#failure ??= new ConnectionClosedError(reason);
    this.#held = [];
    this.#ws.close(1008, "client limit");
  }

  async close(): Promise<CloseInfo> {
    if (!this.isClosed) {
      this.#closing = true;
      this.#ws.close(1000);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.#closed,
        new Promise<void>((r) => (timer = setTimeout(r, CLOSE_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    return await this.#closed;
  }
}
