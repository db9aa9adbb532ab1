/**
 * A raw line client from a chosen local address: `Deno.connect` cannot bind
 * the client's side, `node:net`'s `localAddress` can. On Linux every
 * 127.0.0.x is a loopback address, so one test can play clients from many
 * addresses (a password spray from 8 hosts).
 */
import net from "node:net";
import { LineFramer } from "../../protocol/mod.ts";
import { DEADLINE_MS, Inbox } from "./inbox.ts";

const encoder = new TextEncoder();

/** A TCP client on `localAddress` that reads lines, with deadlines. */
export class NodeLineClient implements AsyncDisposable {
  readonly #socket: net.Socket;
  readonly #inbox = new Inbox("line");
  readonly #closed: Promise<void>;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    const framer = new LineFramer(
      1024 * 1024,
      (line) => this.#inbox.push(line.slice()),
    );
    socket.on("data", (chunk: Uint8Array) => framer.push(chunk));
    // A reset by the server is the same as the end of the stream here.
    socket.on("error", () => {});
    this.#closed = new Promise((resolve) =>
      socket.on("close", () => {
        this.#inbox.end();
        resolve();
      })
    );
  }

  /** Connects from `localAddress` to 127.0.0.1:`port`. */
  static connect(port: number, localAddress: string): Promise<NodeLineClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port, localAddress });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new NodeLineClient(socket));
      });
    });
  }

  /** The address the server sees this client on. */
  get localAddress(): string {
    return this.#socket.localAddress ?? "";
  }

  /** Whether the server has closed the connection. */
  get ended(): boolean {
    return this.#inbox.ended;
  }

  /** Sends text lines (each gets a `\n`); false when the socket is gone. */
  send(...lines: string[]): boolean {
    if (this.#socket.destroyed) return false;
    this.#socket.write(encoder.encode(lines.map((l) => l + "\n").join("")));
    return true;
  }

  /** The next line as text, waiting up to `ms`. */
  next(ms = DEADLINE_MS): Promise<string> {
    return this.#inbox.next(ms);
  }

  /** Closes the connection at once and waits until it is closed. */
  async close(): Promise<void> {
    this.#socket.destroy();
    await this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
