/**
 * A client of a Switchboard relay server: log in, list rooms, join and
 * leave, send in every mode, define groups, and receive every line as a
 * typed message.
 *
 * @example
 * ```ts ignore
 * import { RelayClient, payloadText } from "./mod.ts";
 * await using client = await RelayClient.connect({ host: "127.0.0.1", port: 7777 });
 * const id = await client.login("ada", "secret");
 * const { members, master } = await client.join("lobby");
 * console.log(`I am ${id}; with ${members}; master ${master}`);
 * await client.sendToOthers("hello");
 * for await (const { message } of client) {
 *   if (message.kind === "message") {
 *     console.log(`from ${message.from}: ${payloadText(message.payload)}`);
 *   }
 * }
 * ```
 * @module
 */
import {
  type ClientMessage,
  countsForResume,
  type RoomCount,
} from "../protocol/mod.ts";
import type { ChannelName, SendOptions } from "./channel.ts";
import type { ClientEventMap } from "./client_events.ts";
import { ClientCore } from "./client_core.ts";
import type { ConnectOptions } from "./connect_options.ts";
import { InvalidArgumentError } from "./errors.ts";
import type { Incoming } from "./incoming.ts";
import type { CloseInfo } from "./line_connection.ts";
import { MessageSender } from "./message_sender.ts";
import { rawRequest } from "./raw_request.ts";
import type { JoinResult } from "./request_queue.ts";
import type { ServerAddress } from "./server_address.ts";
import type { UdpChannelOptions } from "./udp_channel.ts";
import { checkNameArg, checkPasswordArg, checkRoomArg } from "./validate.ts";

export { type ConnectOptions, DEFAULT_SERVER_PORT } from "./connect_options.ts";

const LF = 0x0a;
const utf8 = new TextEncoder();

/** A connection to a relay server, logged in or not. */
export class RelayClient extends MessageSender implements AsyncDisposable {
  readonly #core: ClientCore;

  private constructor(core: ClientCore) {
    super();
    this.#core = core;
    core.client = this;
  }

  /**
   * Connects to a server.
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  static async connect(options: ConnectOptions = {}): Promise<RelayClient> {
    return new RelayClient(await ClientCore.open(options));
  }

  /**
   * Calls `listener` on each `type` event — `disconnected`, `resumed`,
   * `session-ended`, `rejoined` (with `reconnect` on); returns the
   * unsubscriber.
   */
  on<K extends keyof ClientEventMap>(
    type: K,
    listener: (event: ClientEventMap[K]) => void,
  ): () => void {
    return this.#core.events.on(type, listener);
  }

  /** False while reconnecting after a drop (with `reconnect` on). */
  get connected(): boolean {
    return this.#core.resuming?.connected ?? !this.isClosed;
  }

  /** True while the session can be resumed after a drop. */
  get resumable(): boolean {
    return this.#core.resuming?.resumable ?? false;
  }

  /** Members of our room whose sessions are held for them (`6:<id>:away`). */
  get away(): ReadonlySet<number> {
    return this.#core.state.away;
  }

  /**
   * Cuts the connection as a network failure would and gets back as after
   * any drop (a demonstration, a test, the REPL's `/reconnect`); `downMs`
   * keeps it down that long first.
   *
   * @throws {InvalidArgumentError} unless connected with `reconnect`.
   */
  dropConnection(downMs = 0): void {
    if (this.#core.resuming === null) {
      throw new InvalidArgumentError(
        "dropConnection needs RelayClient.connect({ reconnect: true })",
      );
    }
    this.#core.resuming.dropConnection(downMs);
  }

  /** How this client reached the server (`ws`, `tls`, ...). */
  get scheme(): ServerAddress["scheme"] {
    return this.#core.server.address.scheme;
  }

  /** Our session id, or null when not logged in. */
  get sessionId(): number | null {
    return this.#core.state.sessionId;
  }

  /** The room we are in, or null. */
  get room(): string | null {
    return this.#core.state.room;
  }

  /** The current room's members in join order (us included). */
  get members(): readonly number[] {
    return this.#core.state.members;
  }

  /** The current room's master client, or null. */
  get master(): number | null {
    return this.#core.state.master;
  }

  /** True while a UDP channel is open (see {@linkcode openUdp}). */
  get udp(): boolean {
    return this.#core.udp.channel !== null;
  }

  /**
   * Opens the UDP channel of the current session: lossy sends can then go
   * with `{ channel: "udp" }`, and other clients' lossy messages to us arrive
   * as datagrams (`Incoming.via === "udp"`). It ends with the session.
   *
   * @throws {NotLoggedInError} before a login.
   * @throws {UdpUnavailableError} when the server offers no UDP (no secret in
   *   its login reply) or does not answer the handshake.
   */
  async openUdp(
    options: Pick<UdpChannelOptions, "handshakeTimeoutMs" | "transport"> = {},
  ): Promise<void> {
    await this.#core.udp.open(options);
  }

  /** Closes the UDP channel, if open; sends then go over TCP only. */
  async closeUdp(): Promise<void> {
    await this.#core.udp.close();
  }

  /** True once the connection is closing or closed. */
  get isClosed(): boolean {
    return this.#core.conn.isClosed;
  }

  /** Resolves (never rejects) once the connection has ended. */
  get closed(): Promise<CloseInfo> {
    return this.#core.closed;
  }

  /**
   * Logs in; resolves to the session id.
   *
   * @throws {LoginRefusedError} on `0:-1` (code `login-refused`).
   */
  async login(username: string, password = ""): Promise<number> {
    checkNameArg("username", username);
    checkPasswordArg(password);
    const id = await this.#core.out.request(
      { kind: "login", username },
      { kind: "login", username, password },
    );
    if (this.#core.resuming !== null) {
      this.#core.rejoin.loggedIn(username, password);
      await this.#core.resuming.enableResume();
    }
    return id;
  }

  /** Lists public rooms, plus the private ones `password` opens. */
  async listRooms(password = ""): Promise<readonly RoomCount[]> {
    checkPasswordArg(password);
    return await this.#core.out.request({ kind: "list-rooms" }, {
      kind: "list-rooms",
      password,
    });
  }

  /**
   * Joins `room` (leaving the current one), resolving once the whole join
   * sequence has arrived: our own `2:`, the members, then the master.
   *
   * @throws {RefusedError} e.g. code `wrong-password` or `already-in-room`.
   */
  async join(room: string, password = ""): Promise<JoinResult> {
    checkRoomArg(room);
    checkPasswordArg(password);
    const joined = await this.#core.out.request(
      { kind: "join", room },
      { kind: "join", room, password },
    );
    this.#core.rejoin.joined(room, password);
    return joined;
  }

  /** Leaves the current room. @throws {RefusedError} `not-in-room`. */
  async leave(): Promise<void> {
    await this.#core.out.request({ kind: "leave" }, { kind: "leave" });
    this.#core.rejoin.left();
  }

  /**
   * Sends one line verbatim (a `\n` is added), for debugging servers. Its
   * answers arrive as events; the library still tracks them so that they
   * are not mistaken for answers to its own requests.
   */
  async sendRaw(line: string | Uint8Array): Promise<void> {
    const bytes = typeof line === "string" ? utf8.encode(line) : line;
    if (bytes.includes(LF)) {
      throw new InvalidArgumentError("a raw line cannot contain a newline");
    }
    if (this.#core.resuming !== null && !countsForResume(bytes)) {
      throw new InvalidArgumentError(
        "7 lines are the library's own with reconnect on (resume)",
      );
    }
    const frame = new Uint8Array(bytes.length + 1);
    frame.set(bytes);
    frame[bytes.length] = LF;
    const request = rawRequest(bytes, this.#core.out.loggedOut());
    // Nobody awaits a raw line's answer: it is delivered as an event.
    if (request !== null) this.#core.requests.track(request).catch(() => {});
    return await this.#core.out.write(frame);
  }

  /** Calls `listener` with every incoming line; returns the unsubscriber. */
  onMessage(listener: (incoming: Incoming) => void): () => void {
    return this.#core.incoming.listen(listener);
  }

  /**
   * Calls `listener` with every line written (with its `\n`), for traces;
   * `via` is `"udp"` for a message sent as a datagram (given as its line).
   */
  onSent(listener: (line: Uint8Array, via: ChannelName) => void): () => void {
    return this.#core.out.onSent(listener);
  }

  /**
   * Every line that arrives from now on, until the connection ends. When
   * the consumer falls `maxBufferedMessages` behind, reading pauses.
   */
  messages(): AsyncIterableIterator<Incoming> {
    return this.#core.incoming.iterate();
  }

  /** Same as {@linkcode messages}. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Incoming> {
    return this.messages();
  }

  /**
   * Writes what is queued, tells the server we are done, delivers the lines
   * it still sends (the answers to our last lines), and resolves once the
   * connection has ended. Bounded: each phase waits at most 2 s.
   */
  async close(): Promise<CloseInfo> {
    await this.#core.conn.close();
    return await this.#core.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Sends `msg` through the outbox (see {@linkcode MessageSender}). */
  protected override deliver(
    msg: ClientMessage,
    options?: SendOptions,
  ): Promise<void> {
    return this.#core.out.deliver(msg, options);
  }
}
