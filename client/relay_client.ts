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
  DEFAULT_LIMITS,
  encodeClientMessage,
  type RoomCount,
  type RoomSendMode,
  SendMode,
} from "../protocol/mod.ts";
import type { Channel, ChannelName, SendOptions } from "./channel.ts";
import { type ClientLimits, resolveClientLimits } from "./client_limits.ts";
import {
  ConnectionClosedError,
  InvalidArgumentError,
  NotLoggedInError,
  RequestTimeoutError,
  SessionEndedError,
  UdpUnavailableError,
} from "./errors.ts";
import { decodeIncoming, type Incoming } from "./incoming.ts";
import { rawRequest } from "./raw_request.ts";
import {
  type JoinResult,
  type Request,
  RequestQueue,
  type RequestResults,
} from "./request_queue.ts";
import { RoomState } from "./room_state.ts";
import { Subscribers } from "./subscribers.ts";
import type {
  ClientTlsOptions,
  ClientTransport,
  UdpChannelLike,
} from "./client_transport.ts";
import { defaultTransport } from "./default_transport.ts";
import type { CloseInfo, LineConnection } from "./line_connection.ts";
import { parseServerUrl, type ServerAddress } from "./server_address.ts";
import type { UdpChannelOptions } from "./udp_channel.ts";
import { type ClientEventMap, ClientEvents } from "./client_events.ts";
import {
  type ReconnectOptions,
  resolveReconnectOptions,
} from "./reconnect_options.ts";
import { Rejoin } from "./rejoin.ts";
import { type LinkOpener, ResumingConnection } from "./resuming_connection.ts";
import {
  checkIds,
  checkLineLength,
  checkNameArg,
  checkPasswordArg,
  checkRoomArg,
  checkUsersPayload,
  toPayload,
} from "./validate.ts";

/** Where to connect, and the limits to keep. */
export interface ConnectOptions {
  /**
   * The server as a URL: `tcp://host:port`, `tls://host:port`,
   * `ws://host:port/ws` or `wss://host:port/ws` (the forms of `serve`'s
   * ready line). Without it, plain TCP to `host` and `port`.
   */
  readonly url?: string;
  /** Server host name or address (without `url`); default `127.0.0.1`. */
  readonly host?: string;
  /** Server TCP port (without `url`); default 7777. */
  readonly port?: number;
  /** TLS settings for `tls://` and `wss://`: a private CA (Deno only). */
  readonly tls?: ClientTlsOptions;
  /**
   * How connections are opened: Deno's (every scheme, and UDP) by default;
   * in the browser bundle, WebSocket only.
   */
  readonly transport?: ClientTransport;
  /** Overrides of {@linkcode DEFAULT_CLIENT_LIMITS}. */
  readonly limits?: Partial<ClientLimits>;
  /**
   * The server's UDP port, if not the TCP (or TLS) port's number; needed
   * for UDP when connected by WebSocket.
   */
  readonly udpPort?: number;
  /**
   * Get back by itself after a drop: each login makes the session
   * resumable, and a drop is followed by a new connection on which the
   * session resumes, missing nothing — or, when it cannot be resumed (too
   * late), a fresh login and rejoin. Off by default. See
   * {@linkcode RelayClient.on} for the events.
   */
  readonly reconnect?: boolean | ReconnectOptions;
}

/** The port a server listens on unless told otherwise. */
export const DEFAULT_SERVER_PORT = 7777;

const LF = 0x0a;
const utf8 = new TextEncoder();
/**
 * Codes of `9:?:…` lines after which the server closes the connection on
 * purpose: a reconnecting client does not come back after those.
 */
const SERVER_CLOSES: ReadonlySet<string> = new Set([
  "line-too-long",
  "internal",
  "idle-timeout",
  "login-timeout",
  "server-full",
  "too-many-connections",
]);

/** A connection to a relay server, logged in or not. */
export class RelayClient implements AsyncDisposable {
  readonly #limits: ClientLimits;
  readonly #state = new RoomState();
  readonly #requests = new RequestQueue();
  readonly #incoming: Subscribers<Incoming>;
  readonly #sent = new Set<(line: Uint8Array, via: ChannelName) => void>();
  readonly #events = new ClientEvents();
  /** With `reconnect`: the connection that comes back, and what to rejoin. */
  #resuming: ResumingConnection | null = null;
  readonly #rejoin = new Rejoin();
  /** `9:0:<code>:<text>` just before a `0:-1` that ends our session. */
  #endNotice: { code: string; text: string } | null = null;
  #conn!: LineConnection;
  #tcp!: Channel;
  #udp: UdpChannelLike | null = null;
  #transport!: ClientTransport;
  #server!: { address: ServerAddress; udpPort: number | null };
  #closed!: Promise<CloseInfo>;

  private constructor(limits: ClientLimits) {
    this.#limits = limits;
    this.#incoming = new Subscribers(limits.maxBufferedMessages);
  }

  /**
   * Connects to a server.
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  static async connect(options: ConnectOptions = {}): Promise<RelayClient> {
    const limits = resolveClientLimits(options.limits);
    const client = new RelayClient(limits);
    const address: ServerAddress = options.url === undefined
      ? {
        scheme: "tcp",
        host: options.host ?? "127.0.0.1",
        port: options.port ?? DEFAULT_SERVER_PORT,
        path: "/",
      }
      : parseServerUrl(options.url);
    const streamed = address.scheme === "tcp" || address.scheme === "tls";
    client.#server = {
      address,
      udpPort: options.udpPort ?? (streamed ? address.port : null),
    };
    client.#transport = options.transport ?? defaultTransport;
    const open: LinkOpener = ({ onLine, ready }) =>
      client.#transport.connect(address, {
        maxLineBytes: limits.maxIncomingLineBytes,
        maxPendingBytes: limits.maxPendingBytes,
        connectTimeoutMs: limits.connectTimeoutMs,
        maxHeldLines: limits.maxBufferedMessages,
        onLine,
        ready,
      }, options.tls);
    if (options.reconnect) {
      client.#conn = client.#resuming = await ResumingConnection.open(
        open,
        resolveReconnectOptions(options.reconnect),
        client.#resumeHooks(),
        limits,
      );
    } else {
      client.#conn = await open({
        onLine: (line) => client.#receive(line),
        ready: () => client.#incoming.ready(),
      });
    }
    client.#tcp = {
      name: "tcp",
      send: (msg) => client.#write(encodeClientMessage(msg)),
    };
    client.#closed = client.#conn.closed.then((info) => client.#ended(info));
    return client;
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
    return this.#events.on(type, listener);
  }

  /** False while reconnecting after a drop (with `reconnect` on). */
  get connected(): boolean {
    return this.#resuming?.connected ?? !this.isClosed;
  }

  /** True while the session can be resumed after a drop. */
  get resumable(): boolean {
    return this.#resuming?.resumable ?? false;
  }

  /** Members of our room whose sessions are held for them (`6:<id>:away`). */
  get away(): ReadonlySet<number> {
    return this.#state.away;
  }

  /**
   * Cuts the connection as a network failure would and gets back as after
   * any drop (a demonstration, a test, the REPL's `/reconnect`); `downMs`
   * keeps it down that long first.
   *
   * @throws {InvalidArgumentError} unless connected with `reconnect`.
   */
  dropConnection(downMs = 0): void {
    if (this.#resuming === null) {
      throw new InvalidArgumentError(
        "dropConnection needs RelayClient.connect({ reconnect: true })",
      );
    }
    this.#resuming.dropConnection(downMs);
  }

  /** How this client reached the server (`ws`, `tls`, ...). */
  get scheme(): ServerAddress["scheme"] {
    return this.#server.address.scheme;
  }

  /** Our session id, or null when not logged in. */
  get sessionId(): number | null {
    return this.#state.sessionId;
  }

  /** The room we are in, or null. */
  get room(): string | null {
    return this.#state.room;
  }

  /** The current room's members in join order (us included). */
  get members(): readonly number[] {
    return this.#state.members;
  }

  /** The current room's master client, or null. */
  get master(): number | null {
    return this.#state.master;
  }

  /** True while a UDP channel is open (see {@linkcode openUdp}). */
  get udp(): boolean {
    return this.#udp !== null && !this.#udp.isClosed;
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
    const sessionId = this.#state.sessionId;
    if (sessionId === null) throw new NotLoggedInError("openUdp");
    const secret = this.#state.udpSecret;
    if (secret === null) {
      throw new UdpUnavailableError(
        "the server's login reply has no UDP secret (is UDP off?)",
      );
    }
    const openUdp = this.#transport.openUdp;
    if (openUdp === undefined) {
      throw new UdpUnavailableError(
        `the ${this.#transport.name} transport has no UDP`,
      );
    }
    const udpPort = this.#server.udpPort;
    if (udpPort === null) {
      throw new UdpUnavailableError(
        "connected by WebSocket: give ConnectOptions.udpPort to use UDP",
      );
    }
    await this.#closeUdpChannel();
    this.#udp = await openUdp({
      ...options,
      host: this.#server.address.host,
      port: udpPort,
      sessionId,
      secret,
      onDatagram: (data) =>
        this.#incoming.deliver({ ...decodeIncoming(data), via: "udp" }),
    });
    this.#rejoin.udp = true;
  }

  /** Closes the UDP channel, if open; sends then go over TCP only. */
  async closeUdp(): Promise<void> {
    this.#rejoin.udp = false;
    await this.#closeUdpChannel();
  }

  async #closeUdpChannel(): Promise<void> {
    const udp = this.#udp;
    this.#udp = null;
    await udp?.close();
  }

  /** True once the connection is closing or closed. */
  get isClosed(): boolean {
    return this.#conn.isClosed;
  }

  /** Resolves (never rejects) once the connection has ended. */
  get closed(): Promise<CloseInfo> {
    return this.#closed;
  }

  /**
   * Logs in; resolves to the session id.
   *
   * @throws {LoginRefusedError} on `0:-1` (code `login-refused`).
   */
  async login(username: string, password = ""): Promise<number> {
    checkNameArg("username", username);
    checkPasswordArg(password);
    const id = await this.#request(
      { kind: "login", username },
      { kind: "login", username, password },
    );
    if (this.#resuming !== null) {
      this.#rejoin.loggedIn(username, password);
      await this.#resuming.enableResume();
    }
    return id;
  }

  /** Lists public rooms, plus the private ones `password` opens. */
  async listRooms(password = ""): Promise<readonly RoomCount[]> {
    checkPasswordArg(password);
    return await this.#request({ kind: "list-rooms" }, {
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
    const joined = await this.#request(
      { kind: "join", room },
      { kind: "join", room, password },
    );
    this.#rejoin.joined(room, password);
    return joined;
  }

  /** Leaves the current room. @throws {RefusedError} `not-in-room`. */
  async leave(): Promise<void> {
    await this.#request({ kind: "leave" }, { kind: "leave" });
    this.#rejoin.left();
  }

  /** Sends to the room with `mode` 0–3 (see {@linkcode SendMode}). */
  async send(
    mode: RoomSendMode,
    payload: string | Uint8Array,
    options?: SendOptions,
  ): Promise<void> {
    if (![0, 1, 2, 3].includes(mode)) {
      throw new InvalidArgumentError(`send mode ${mode} is not 0 to 3`);
    }
    return await this.#deliver(
      { kind: "send", mode, payload: toPayload(payload) },
      options,
    );
  }

  /** `3:0`: to the others in the room. */
  sendToOthers(payload: string | Uint8Array, options?: SendOptions) {
    return this.send(SendMode.Others, payload, options);
  }

  /** `3:1`: to everyone in the room, us included. */
  sendToAll(payload: string | Uint8Array, options?: SendOptions) {
    return this.send(SendMode.All, payload, options);
  }

  /** `3:2`: to the others, in the room's total order. */
  sendToOthersOrdered(payload: string | Uint8Array, options?: SendOptions) {
    return this.send(SendMode.OthersOrdered, payload, options);
  }

  /** `3:3`: to everyone, in the room's total order. */
  sendToAllOrdered(payload: string | Uint8Array, options?: SendOptions) {
    return this.send(SendMode.AllOrdered, payload, options);
  }

  /** `3:4`: to the listed users, wherever they are. */
  async sendTo(
    ids: readonly number[],
    payload: string | Uint8Array,
    options?: SendOptions,
  ): Promise<void> {
    if (ids.length === 0) throw new InvalidArgumentError("no recipients");
    checkIds("recipients", ids, DEFAULT_LIMITS.maxRecipients);
    const bytes = toPayload(payload);
    checkUsersPayload(bytes);
    return await this.#deliver(
      { kind: "send-users", to: ids, payload: bytes },
      options,
    );
  }

  /** `5:`: defines (replaces) our group `group`; no ids deletes it. */
  async defineGroup(group: string, ids: readonly number[]): Promise<void> {
    checkNameArg("group name", group);
    checkIds("group members", ids, DEFAULT_LIMITS.maxGroupMembers);
    return await this.#deliver({ kind: "define-group", group, members: ids });
  }

  /** `4:`: to the members of our group `group`. */
  async sendToGroup(
    group: string,
    payload: string | Uint8Array,
    options?: SendOptions,
  ): Promise<void> {
    checkNameArg("group name", group);
    return await this.#deliver(
      { kind: "send-group", group, payload: toPayload(payload) },
      options,
    );
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
    if (this.#resuming !== null && !countsForResume(bytes)) {
      throw new InvalidArgumentError(
        "7 lines are the library's own with reconnect on (resume)",
      );
    }
    const frame = new Uint8Array(bytes.length + 1);
    frame.set(bytes);
    frame[bytes.length] = LF;
    const request = rawRequest(bytes, this.#loggedOut());
    // Nobody awaits a raw line's answer: it is delivered as an event.
    if (request !== null) this.#requests.track(request).catch(() => {});
    return await this.#write(frame);
  }

  /** Calls `listener` with every incoming line; returns the unsubscriber. */
  onMessage(listener: (incoming: Incoming) => void): () => void {
    return this.#incoming.listen(listener);
  }

  /**
   * Calls `listener` with every line written (with its `\n`), for traces;
   * `via` is `"udp"` for a message sent as a datagram (given as its line).
   */
  onSent(listener: (line: Uint8Array, via: ChannelName) => void): () => void {
    this.#sent.add(listener);
    return () => this.#sent.delete(listener);
  }

  /**
   * Every line that arrives from now on, until the connection ends. When
   * the consumer falls `maxBufferedMessages` behind, reading pauses.
   */
  messages(): AsyncIterableIterator<Incoming> {
    return this.#incoming.iterate();
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
    await this.#conn.close();
    return await this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #request<R extends Request>(
    request: R,
    msg: ClientMessage,
  ): Promise<RequestResults[R["kind"]]> {
    const frame = encodeClientMessage(msg);
    checkLineLength(frame, this.#limits.maxLineBytes);
    if (this.#conn.isClosed) throw new ConnectionClosedError();
    const answer = this.#requests.track(request);
    this.#write(frame).catch(() => {
      // a failed write ends the connection, which fails every request
    });
    return withTimeout(answer, this.#limits.requestTimeoutMs, request.kind);
  }

  #deliver(msg: ClientMessage, options?: SendOptions): Promise<void> {
    const channel = options?.channel ?? "tcp";
    if (this.#loggedOut()) {
      return Promise.reject(new NotLoggedInError(msg.kind));
    }
    if (channel === "udp") {
      const udp = this.#udp;
      return udp === null || udp.isClosed
        ? Promise.reject(
          new UdpUnavailableError("not open (call openUdp() after login)"),
        )
        : udp.send(msg).then(() => this.#sentOverUdp(msg));
    }
    checkLineLength(encodeClientMessage(msg), this.#limits.maxLineBytes);
    return this.#tcp.send(msg);
  }

  #write(frame: Uint8Array): Promise<void> {
    const written = this.#conn.write(frame);
    for (const listener of this.#sent) listener(frame, "tcp");
    return written;
  }

  /** Tells the listeners of a datagram sent (encoded again only for them). */
  #sentOverUdp(msg: ClientMessage): void {
    if (this.#sent.size === 0) return;
    const line = encodeClientMessage(msg);
    for (const listener of this.#sent) listener(line, "udp");
  }

  /** No session and none on the way: the server answers anything but a login with `0:-1`. */
  #loggedOut(): boolean {
    return this.#state.sessionId === null && !this.#requests.loginPending;
  }

  #receive(line: Uint8Array): void {
    const incoming = decodeIncoming(line);
    const msg = incoming.message;
    if (msg.kind !== "unknown") {
      const self = this.#state.sessionId;
      // A channel belongs to its session: a new login or a logout ends it.
      if (msg.kind === "welcome" || msg.kind === "logged-out") {
        void this.closeUdp();
        this.#resuming?.sessionChanged();
        if (msg.kind === "logged-out" && self !== null) this.#endedByServer();
      }
      if (msg.kind === "error" && msg.command === "0") {
        this.#endNotice = { code: msg.code, text: msg.text };
      }
      if (
        msg.kind === "error" && msg.command === "?" &&
        SERVER_CLOSES.has(msg.code)
      ) {
        // The server closes this connection on purpose: nothing to get back to.
        this.#endNotice = { code: msg.code, text: msg.text };
        this.#endedByServer();
      }
      this.#state.apply(msg);
      this.#requests.offer(msg, self);
    }
    this.#incoming.deliver(incoming);
  }

  /** The server ended our session (`0:-1`): no rejoin; say why. */
  #endedByServer(): void {
    const notice = this.#endNotice;
    this.#endNotice = null;
    const back = this.#rejoin.wanted;
    this.#rejoin.forget();
    if (!back) return;
    this.#events.emit("session-ended", {
      sessionId: this.#state.sessionId,
      code: notice?.code ?? "logged-out",
      reason: notice?.text ?? "the server ended the session",
      rejoining: false,
    });
  }

  #resumeHooks() {
    return {
      onLine: (line: Uint8Array) => this.#receive(line),
      ready: () => this.#incoming.ready(),
      events: this.#events,
      wantsBack: () => this.#rejoin.wanted,
      sessionId: () => this.#state.sessionId,
      // The server closed our channel with the connection; a resume brings
      // a new secret, and the channel is opened again with it.
      dropped: () => void this.#closeUdpChannel(),
      resumed: async (secret: string | null) => {
        this.#state.setUdpSecret(secret);
        if (this.#rejoin.udp && secret !== null) {
          await this.openUdp().catch(() => {});
        }
      },
      relogin: () => {
        const inRoom = this.#state.room;
        this.#requests.failAll(
          new SessionEndedError("resume-refused", "the session ended"),
        );
        this.#state.apply({ kind: "logged-out" });
        return this.#rejoin.run(this, inRoom, this.#events);
      },
    };
  }

  #ended(info: CloseInfo): CloseInfo {
    void this.closeUdp();
    this.#requests.failAll(
      new ConnectionClosedError(
        info.byClient ? "connection closed" : "connection lost",
        info.error ? { cause: info.error } : undefined,
      ),
    );
    this.#incoming.end();
    return info;
  }
}

function withTimeout<T>(answer: Promise<T>, ms: number, what: string) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RequestTimeoutError(what, ms)),
      ms,
    );
    answer.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
