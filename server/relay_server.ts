/**
 * The relay server: owns the listener, connections, sessions and rooms.
 *
 * @example
 * ```ts
 * import { RelayServer } from "./relay_server.ts";
 * await using server = await RelayServer.start({ hostname: "127.0.0.1", port: 0 });
 * console.assert(server.port > 0);
 * ```
 * @module
 */
import { FrameBuilder, type Limits, resolveLimits } from "../protocol/mod.ts";
import { Admission } from "./limits/admission.ts";
import { Flow } from "./connection/flow.ts";
import { type Authenticator, OpenAuthenticator } from "./accounts/auth.ts";
import { Connection, type ConnectionOwner } from "./connection/connection.ts";
import type { BudgetMember } from "./connection/flow.ts";
import type { ServerContext } from "./context.ts";
import type { Deployment, DeploymentParts } from "./deployment.ts";
import { checkFileLimit } from "./limits/fd_limit.ts";
import { errorFrame } from "./handlers/refuse.ts";
import { Sweeper } from "./connection/sweeper.ts";
import { DeclaredRooms } from "./rooms/declared_rooms.ts";
import {
  revocationsFor,
  type RevocationWatcher,
} from "./accounts/revocation_watcher.ts";
import { RoomPasswordThrottle } from "./accounts/room_password_throttle.ts";
import { createLogger, type Logger } from "./logger.ts";
import { PasswordHasher } from "./accounts/password_hasher.ts";
import { defaultTcpTransport } from "./transport/default_transport.ts";
import { type FlushPolicy, FlushScheduler } from "./connection/outbound.ts";
import { LocalRooms } from "./rooms/rooms.ts";
import {
  CounterSessionIds,
  type SessionIdSource,
} from "./sessions/session_ids.ts";
import { SessionRegistry } from "./sessions/sessions.ts";
import { ResumeService } from "./resume/resume_service.ts";
import type { Store } from "./store/mod.ts";
import type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport/transport.ts";
import {
  type DatagramTransport,
  isAddressInUse,
} from "../net/datagram_transport.ts";
import { defaultDatagramTransport } from "../net/default_datagram.ts";
import { UdpListener } from "./udp/udp_listener.ts";
import {
  ExtraListeners,
  type HttpOptions,
  type TlsOptions,
} from "./listeners.ts";
import type { Certificate } from "./tls/mod.ts";
import type { UdpStatsSnapshot } from "./udp/udp_stats.ts";
import { ServerMetrics } from "./metrics/mod.ts";
import type { Session } from "./sessions/session.ts";

/** Options of the UDP channel; see docs/protocol.md, "UDP". */
export interface UdpOptions {
  /** UDP port; the TCP port's number by default; 0 picks a free one. */
  port?: number;
  /** Also accept the seeds' bare handshake `0:<id>` (from the session's TCP IP). */
  legacy?: boolean;
  /**
   * The datagram API; `Deno.listenDatagram` by default, `node:dgram` where
   * `--unstable-net` is off (see default_datagram.ts).
   */
  transport?: DatagramTransport;
}

/** Tries at finding a port number free for both TCP and UDP. */
const SAME_PORT_TRIES = 20;

/** Options of {@linkcode RelayServer.start}; every one has a default. */
export interface RelayServerOptions {
  /** Address to listen on; `127.0.0.1` by default. */
  hostname?: string;
  /** TCP port; 0 (the default here) picks a free one. */
  port?: number;
  /** Who may log in; anyone by default. */
  auth?: Authenticator;
  /** Overrides of the default limits. */
  limits?: Partial<Limits>;
  /** Where logs go; nowhere by default. */
  logger?: Logger;
  /** The byte-stream transport; `node:net` TCP by default. */
  transport?: Transport;
  /** Where session ids come from; a local counter by default. */
  ids?: SessionIdSource;
  /** When queued lines are written; at the end of each turn by default. */
  flush?: FlushPolicy;
  /** The UDP channel: on by default; `false` turns it off. */
  udp?: UdpOptions | false;
  /**
   * Close connections that send no line for this long (ms); 0, the default,
   * never does (the seeds' clients send no keepalive).
   */
  idleTimeoutMs?: number;
  /**
   * Where declared rooms come from; none by default (ad-hoc rooms only).
   * The server reads it but does not own it: {@linkcode RelayServer.close}
   * leaves it open for its owner to close.
   */
  store?: Store;
  /** Checks declared rooms' passwords; a default hasher by default. */
  hasher?: PasswordHasher;
  /** How stale declared rooms may be when a client lists or joins; 1 s by default. */
  roomsRefreshMs?: number;
  /**
   * How often the store is polled for account revocations (sessions of
   * disabled, removed or re-passworded users end); 500 ms by default. Only
   * with a store.
   */
  revocationPollMs?: number;
  /**
   * Slows down guessing room passwords; the default policy (the login
   * delays) by default.
   */
  roomPasswordThrottle?: RoomPasswordThrottle;
  /**
   * Count traffic per line and time relayed lines (on by default); off only
   * to measure what that costs.
   */
  metrics?: boolean;
  /** TLS: a TLS line port and HTTPS/WSS; off by default (docs/protocol.md, "TLS"). */
  tls?: TlsOptions;
  /** The HTTP port: WebSocket at `/ws` and the demo page; off by default. */
  http?: HttpOptions;
  /**
   * The deployment this server is one node of (rooms, presence and ids
   * shared with other servers); none by default: everything stays here.
   */
  deployment?: Deployment;
}

/** A running relay server. */
export class RelayServer implements AsyncDisposable, ConnectionOwner {
  readonly ctx: ServerContext;
  readonly scheduler: FlushScheduler;
  readonly flow: Flow;
  readonly idleTimeoutMs: number;
  readonly hostname: string;
  readonly #connections = new Set<Connection>();
  readonly #rooms: DeploymentParts["rooms"];
  readonly #resume: ResumeService;
  #listener: TransportServer | null = null;
  #udp: UdpListener | null = null;
  #serial = 0;
  #allGone: PromiseWithResolvers<void> | null = null;
  #closing: Promise<void> | null = null;
  readonly #admission: Admission;
  #sweeper: Sweeper | null = null;
  readonly #revocations: RevocationWatcher | null;
  readonly #stopping = new AbortController();
  #stopAccepting: Promise<void> | null = null;
  #idle: (() => void)[] = [];
  /** When the server started (`Date.now()`). */
  readonly startedAt = Date.now();
  #extra: ExtraListeners | null = null;

  private constructor(options: RelayServerOptions) {
    this.hostname = options.hostname ?? "127.0.0.1";
    this.scheduler = new FlushScheduler(options.flush);
    const limits = resolveLimits(options.limits);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 0;
    this.flow = new Flow(limits, () => this.#budgetMembers());
    this.#admission = new Admission(limits);
    const logger = options.logger ?? createLogger({ level: "silent" });
    const shared = options.deployment?.parts({ limits, logger }) ?? null;
    this.#rooms = shared?.rooms ??
      new LocalRooms({ maxRooms: limits.maxRooms });
    const declaredRooms = options.store === undefined
      ? null
      : new DeclaredRooms({
        store: options.store,
        rooms: this.#rooms,
        hasher: options.hasher ?? new PasswordHasher(),
        refreshMs: options.roomsRefreshMs,
        logger,
      });
    const sessions = shared?.sessions ?? new SessionRegistry(this.#rooms);
    this.#resume = new ResumeService({
      limits,
      logger,
      sessions,
      flow: this.flow,
      udp: options.udp !== false,
    });
    this.ctx = {
      limits,
      auth: options.auth ?? new OpenAuthenticator(),
      ids: shared?.ids ?? options.ids ?? new CounterSessionIds(),
      rooms: this.#rooms,
      sessions,
      remote: shared?.remote ?? null,
      logger,
      frames: new FrameBuilder(),
      udp: options.udp !== false,
      declaredRooms,
      resume: this.#resume,
      roomGuesses: options.roomPasswordThrottle ?? new RoomPasswordThrottle(),
      signal: this.#stopping.signal,
      metrics: new ServerMetrics({ enabled: options.metrics ?? true }),
    };
    this.#revocations = options.store === undefined
      ? null
      : revocationsFor(options.store, this.ctx.sessions, {
        pollMs: options.revocationPollMs,
        logger,
      });
  }

  /** What the outbound budget may cut: connections' queues, held sessions' logs. */
  *#budgetMembers(): Iterable<BudgetMember> {
    yield* this.#connections;
    yield* this.#resume.budgetMembers();
  }

  /** Starts a server; resolves once it accepts connections. */
  static async start(options: RelayServerOptions = {}): Promise<RelayServer> {
    const idleMs = options.idleTimeoutMs ?? 0;
    if (!Number.isSafeInteger(idleMs) || idleMs < 0) {
      throw new RangeError(
        `idleTimeoutMs must be a whole number of ms, got ${idleMs}`,
      );
    }
    const server = new RelayServer(options);
    await checkFileLimit(server.ctx.limits.maxConnections, server.ctx.logger);
    // Declared rooms are listed from the first client on.
    await server.ctx.declaredRooms?.load();
    await server.#revocations?.start();
    await server.#bind(options);
    if (options.tls !== undefined || options.http !== undefined) {
      try {
        server.#extra = await ExtraListeners.open(
          options,
          server.hostname,
          server.ctx.limits,
          server.ctx.logger,
          (socket) => server.#accept(socket),
        );
      } catch (error) {
        await server.close();
        throw error;
      }
    }
    const { stallTimeoutMs, loginTimeoutMs } = server.ctx.limits;
    server.#sweeper = new Sweeper(
      Math.min(stallTimeoutMs, loginTimeoutMs, idleMs > 0 ? idleMs : Infinity),
      () => server.#connections,
    );
    return server;
  }

  /** Listens on TCP, and on UDP unless it is off. */
  async #bind(options: RelayServerOptions): Promise<void> {
    const udp = options.udp;
    if (udp === false) {
      this.#listener = await this.#listen(options, options.port ?? 0);
      return;
    }
    // Port 0 with the UDP port following TCP: the number the system picked
    // for TCP may be taken for UDP; pick again rather than fail.
    const retry = (options.port ?? 0) === 0 && udp?.port === undefined;
    for (let attempt = 1;; attempt++) {
      this.#listener = await this.#listen(options, options.port ?? 0);
      try {
        this.#udp = await UdpListener.bind(this.ctx, {
          hostname: this.hostname,
          port: udp?.port ?? this.#listener.port,
          transport: udp?.transport ?? defaultDatagramTransport(),
          legacy: udp?.legacy ?? false,
        });
        return;
      } catch (error) {
        await this.#listener.close();
        this.#listener = null;
        if (!retry || !isAddressInUse(error) || attempt === SAME_PORT_TRIES) {
          throw error;
        }
      }
    }
  }

  #listen(options: RelayServerOptions, port: number): Promise<TransportServer> {
    const transport = options.transport ?? defaultTcpTransport(this.hostname);
    return transport.listen(
      this.hostname,
      port,
      (socket) => this.#accept(socket),
    );
  }

  #accept(socket: TransportSocket): SocketEvents {
    const address = socket.remoteAddress;
    const refusal = this.#admission.admit(address);
    if (refusal !== null) {
      this.ctx.metrics.countRefusal(refusal.code);
      this.ctx.logger.warn("conn.refused", {
        remote: socket.remote,
        code: refusal.code,
        open: this.#admission.total,
        from_address: this.#admission.from(address),
      });
      // The socket goes away either way: a failed write changes nothing.
      socket.write(errorFrame("?", refusal.code, refusal.text), () => {});
      socket.end();
      return { data() {}, end() {}, close() {} };
    }
    const connection = new Connection(++this.#serial, socket, this);
    this.#connections.add(connection);
    this.ctx.metrics.connectionsAccepted++;
    this.ctx.logger.info("conn.open", {
      conn: connection.serial,
      remote: socket.remote,
    });
    return {
      data: (chunk) => connection.data(chunk),
      end: () => connection.peerEnded(),
      refuse: (code, text) => connection.send(errorFrame("?", code, text)),
      close: (error) => {
        this.#admission.release(address);
        connection.socketClosed(error);
      },
    };
  }

  /** The TCP port the server listens on. */
  get port(): number {
    return this.#listener?.port ?? 0;
  }

  /** The TLS line port, or 0 when off. */
  get tlsPort(): number {
    return this.#extra?.tlsPort ?? 0;
  }

  /** The HTTP port (WebSocket at `/ws`), or 0 when off. */
  get httpPort(): number {
    return this.#extra?.httpPort ?? 0;
  }

  /** True when the HTTP port speaks HTTPS/WSS. */
  get httpSecure(): boolean {
    return this.#extra?.httpSecure ?? false;
  }

  /**
   * Serves `certificate` to new TLS connections on every TLS listener;
   * sessions already open go on.
   *
   * @throws {CertificateError} when it cannot be used (the old one stays).
   */
  reloadCertificate(certificate: Certificate): void {
    this.#extra?.reload(certificate);
  }

  /** The UDP port, or 0 when the UDP channel is off. */
  get udpPort(): number {
    return this.#udp?.port ?? 0;
  }

  /** UDP counters: datagrams in and out, drops by reason; null when off. */
  get udpStats(): UdpStatsSnapshot | null {
    return this.#udp?.stats.snapshot() ?? null;
  }

  /** Sessions with an open UDP channel. */
  get udpChannelCount(): number {
    return this.#udp?.channelCount ?? 0;
  }

  /** Open connections, logged in or not. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Live sessions (held ones included). */
  get sessionCount(): number {
    return this.ctx.sessions.size;
  }

  /** Sessions held for their clients to resume (their connections dropped). */
  get heldSessionCount(): number {
    return this.#resume.heldCount;
  }

  /** Rooms that exist now (in a deployment: rooms with members on this server). */
  get roomCount(): number {
    return this.#rooms.size;
  }

  /** The open connections (live: do not change the server while iterating). */
  get connections(): ReadonlySet<Connection> {
    return this.#connections;
  }

  /** The rooms of this server (in a deployment: those with members here). */
  get rooms(): DeploymentParts["rooms"] {
    return this.#rooms;
  }

  /** False once the server has stopped accepting connections (drain, close). */
  get accepting(): boolean {
    return this.#stopAccepting === null;
  }

  /**
   * Stops accepting connections (TCP, TLS, WebSocket); those open stay.
   * Resolves once the listeners are closed. The UDP channel stays for the
   * sessions there are.
   */
  stopAccepting(): Promise<void> {
    this.#stopAccepting ??= Promise.all([
      this.#listener?.close(),
      this.#extra?.close(),
    ]).then(() => {});
    return this.#stopAccepting;
  }

  /** Resolves once no connection is open (at once if none is). */
  whenNoConnections(): Promise<void> {
    if (this.#connections.size === 0) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#idle.push(resolve);
    return promise;
  }

  gone(connection: Connection): void {
    this.#connections.delete(connection);
    if (this.#connections.size === 0) {
      this.#allGone?.resolve();
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /**
   * Stops accepting, ends every session (rooms are told), flushes what is
   * queued and closes every connection.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#sweeper?.stop();
    this.#revocations?.close();
    this.#stopping.abort();
    this.flow.wakeups.stop();
    const listening = this.stopAccepting();
    const udp = this.#udp;
    if (udp !== null) {
      this.ctx.logger.info("udp.stats", {
        datagrams_in: udp.stats.datagramsIn,
        datagrams_out: udp.stats.datagramsOut,
        tcp_fallbacks: udp.stats.tcpFallbacks,
        ...udp.stats.dropped,
      });
    }
    const datagrams = udp?.close();
    this.#resume.endAll("server shutting down");
    if (this.#connections.size > 0) {
      this.#allGone = Promise.withResolvers<void>();
      for (const connection of this.#connections) {
        // Logged-in clients are told why before their 0:-1.
        const session: Session | null = connection.session;
        if (session === null) connection.close("server shutting down");
        else {
          this.ctx.sessions.endWithReason(
            session,
            "shutting-down",
            "the server is shutting down",
            "server shutting down",
          );
        }
      }
      await this.#allGone.promise;
    }
    await listening;
    await datagrams;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
