/**
 * The parts of a {@linkcode RelayClient}, wired together: its connection
 * (plain, or resuming with `reconnect`), what it knows (room state), what
 * waits for answers (requests), what it hears (listeners and events), its
 * UDP channel, the way out (outbox) and the way in (receiver), and what
 * happens when the connection ends.
 *
 * @example
 * ```ts ignore
 * import { ClientCore } from "./client_core.ts";
 * // RelayClient.connect() opens one and wraps it.
 * ```
 * @module
 */
import { type ClientLimits, resolveClientLimits } from "./client_limits.ts";
import { ClientUdp } from "./client_udp.ts";
import {
  type ConnectOptions,
  type ResolvedServer,
  resolveServer,
} from "./connect_options.ts";
import { ConnectionClosedError, SessionEndedError } from "./errors.ts";
import type { Incoming } from "./incoming.ts";
import { Outbox } from "./outbox.ts";
import { Receiver } from "./receiver.ts";
import { RequestQueue } from "./request_queue.ts";
import { RoomState } from "./room_state.ts";
import { Subscribers } from "./subscribers.ts";
import { defaultTransport } from "./default_transport.ts";
import type { CloseInfo, LineConnection } from "./line_connection.ts";
import { ClientEvents } from "./client_events.ts";
import { resolveReconnectOptions } from "./reconnect_options.ts";
import { Rejoin, type RejoinTarget } from "./rejoin.ts";
import type { LinkOpener } from "./line_link.ts";
import type { ResumeHooks } from "./resume_hooks.ts";
import { ResumingConnection } from "./resuming_connection.ts";

/** A connected client's parts. */
export class ClientCore {
  /** The limits the client keeps. */
  readonly limits: ClientLimits;
  /** Our session, room, members and master as the server's lines tell. */
  readonly state = new RoomState();
  /** Requests waiting for their answers. */
  readonly requests = new RequestQueue();
  /** The listeners and iterators of incoming lines. */
  readonly incoming: Subscribers<Incoming>;
  /** `disconnected`, `resumed`, `session-ended`, `rejoined`. */
  readonly events = new ClientEvents();
  /** With `reconnect`: the connection that comes back, and what to rejoin. */
  resuming: ResumingConnection | null = null;
  /** What a fresh login needs when a session cannot be resumed. */
  readonly rejoin = new Rejoin();
  /** The handling of each line from the server. */
  readonly receiver: Receiver;
  /** The server, and its UDP port. */
  readonly server: ResolvedServer;
  /** The session's UDP channel. */
  readonly udp: ClientUdp;
  /** The connection (a {@linkcode ResumingConnection} with `reconnect`). */
  conn!: LineConnection;
  /** Every line written goes through it. */
  out!: Outbox;
  /** Resolves once the connection has ended and the client with it. */
  closed!: Promise<CloseInfo>;
  /** The client a fresh login and rejoin act through (set by the client). */
  client: RejoinTarget | null = null;

  private constructor(options: ConnectOptions, limits: ClientLimits) {
    this.limits = limits;
    this.incoming = new Subscribers(limits.maxBufferedMessages);
    this.receiver = new Receiver({
      state: this.state,
      requests: this.requests,
      incoming: this.incoming,
      rejoin: this.rejoin,
      events: this.events,
      sessionChanged: () => {
        void this.udp.close();
        this.resuming?.sessionChanged();
      },
    });
    this.server = resolveServer(options);
    this.udp = new ClientUdp({
      transport: options.transport ?? defaultTransport,
      server: this.server,
      state: this.state,
      rejoin: this.rejoin,
      deliver: (incoming) => this.incoming.deliver(incoming),
    });
  }

  /**
   * Connects to a server.
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  static async open(options: ConnectOptions): Promise<ClientCore> {
    const limits = resolveClientLimits(options.limits);
    const core = new ClientCore(options, limits);
    const transport = options.transport ?? defaultTransport;
    const open: LinkOpener = ({ onLine, ready }) =>
      transport.connect(core.server.address, {
        maxLineBytes: limits.maxIncomingLineBytes,
        maxPendingBytes: limits.maxPendingBytes,
        connectTimeoutMs: limits.connectTimeoutMs,
        maxHeldLines: limits.maxBufferedMessages,
        onLine,
        ready,
      }, options.tls);
    if (options.reconnect) {
      core.conn = core.resuming = await ResumingConnection.open(
        open,
        resolveReconnectOptions(options.reconnect),
        core.#resumeHooks(),
        limits,
      );
    } else {
      core.conn = await open({
        onLine: (line) => core.receiver.receive(line),
        ready: () => core.incoming.ready(),
      });
    }
    core.out = new Outbox({
      conn: core.conn,
      limits,
      requests: core.requests,
      state: core.state,
      udp: core.udp,
    });
    core.closed = core.conn.closed.then((info) => core.#ended(info));
    return core;
  }

  #resumeHooks(): ResumeHooks {
    return {
      onLine: (line: Uint8Array) => this.receiver.receive(line),
      ready: () => this.incoming.ready(),
      events: this.events,
      wantsBack: () => this.rejoin.wanted,
      sessionId: () => this.state.sessionId,
      // The server closed our channel with the connection; a resume brings
      // a new secret, and the channel is opened again with it.
      dropped: () => void this.udp.closeChannel(),
      resumed: async (secret: string | null) => {
        this.state.setUdpSecret(secret);
        if (this.rejoin.udp && secret !== null) {
          await this.udp.open({}).catch(() => {});
        }
      },
      relogin: () => {
        const inRoom = this.state.room;
        this.requests.failAll(
          new SessionEndedError("resume-refused", "the session ended"),
        );
        this.state.apply({ kind: "logged-out" });
        return this.rejoin.run(this.client!, inRoom, this.events);
      },
    };
  }

  #ended(info: CloseInfo): CloseInfo {
    void this.udp.close();
    this.requests.failAll(
      new ConnectionClosedError(
        info.byClient ? "connection closed" : "connection lost",
        info.error ? { cause: info.error } : undefined,
      ),
    );
    this.incoming.end();
    return info;
  }
}
