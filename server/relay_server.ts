/**
 * The relay server: owns the listeners (server_listeners.ts), the
 * connections (acceptor.ts), sessions and rooms, and closes them all
 * (server_close.ts). Its options are in server_options.ts.
 *
 * @example
 * ```ts
 * import { RelayServer } from "./relay_server.ts";
 * await using server = await RelayServer.start({ hostname: "127.0.0.1", port: 0 });
 * console.assert(server.port > 0);
 * ```
 * @module
 */
import { FrameBuilder, resolveLimits } from "../protocol/mod.ts";
import { Admission } from "./limits/admission.ts";
import { Flow } from "./connection/flow.ts";
import { OpenAuthenticator } from "./accounts/auth.ts";
import type { Connection, ConnectionOwner } from "./connection/connection.ts";
import type { BudgetMember } from "./connection/flow.ts";
import type { ServerContext } from "./context.ts";
import type { DeploymentParts } from "./deployment.ts";
import { checkFileLimit } from "./limits/fd_limit.ts";
import { Sweeper } from "./connection/sweeper.ts";
import { DeclaredRooms } from "./rooms/declared_rooms.ts";
import {
  revocationsFor,
  type RevocationWatcher,
} from "./accounts/revocation_watcher.ts";
import { RoomPasswordThrottle } from "./accounts/room_password_throttle.ts";
import { createLogger } from "./logger.ts";
import { PasswordHasher } from "./accounts/password_hasher.ts";
import { FlushScheduler } from "./connection/flush_scheduler.ts";
import { LocalRooms } from "./rooms/rooms.ts";
import { CounterSessionIds } from "./sessions/session_ids.ts";
import { SessionRegistry } from "./sessions/sessions.ts";
import { ResumeService } from "./resume/resume_service.ts";
import type { Certificate } from "./tls/mod.ts";
import type { UdpStatsSnapshot } from "./udp/udp_stats.ts";
import { ServerMetrics } from "./metrics/mod.ts";
import { Acceptor } from "./acceptor.ts";
import { ServerListeners } from "./server_listeners.ts";
import { closeServer } from "./server_close.ts";
import type { RelayServerOptions } from "./server_options.ts";

export type { RelayServerOptions, UdpOptions } from "./server_options.ts";

/** A running relay server. */
export class RelayServer implements AsyncDisposable, ConnectionOwner {
  readonly ctx: ServerContext;
  readonly scheduler: FlushScheduler;
  readonly flow: Flow;
  readonly idleTimeoutMs: number;
  readonly hostname: string;
  readonly #acceptor: Acceptor;
  readonly #listeners: ServerListeners;
  readonly #rooms: DeploymentParts["rooms"];
  readonly #resume: ResumeService;
  #closing: Promise<void> | null = null;
  #sweeper: Sweeper | null = null;
  readonly #revocations: RevocationWatcher | null;
  readonly #stopping = new AbortController();
  /** When the server started (`Date.now()`). */
  readonly startedAt = Date.now();

  private constructor(options: RelayServerOptions) {
    this.hostname = options.hostname ?? "127.0.0.1";
    this.scheduler = new FlushScheduler(options.flush);
    const limits = resolveLimits(options.limits);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 0;
    this.flow = new Flow(limits, () => this.#budgetMembers());
    this.#acceptor = new Acceptor(new Admission(limits), this);
    const acceptor = this.#acceptor;
    this.#listeners = new ServerListeners(
      this.hostname,
      (socket) => acceptor.accept(socket),
    );
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
    yield* this.#acceptor.connections;
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
    await server.#listeners.bind(options, server.ctx);
    if (options.tls !== undefined || options.http !== undefined) {
      try {
        await server.#listeners.openExtra(options, server.ctx);
      } catch (error) {
        await server.close();
        throw error;
      }
    }
    const { stallTimeoutMs, loginTimeoutMs } = server.ctx.limits;
    server.#sweeper = new Sweeper(
      Math.min(stallTimeoutMs, loginTimeoutMs, idleMs > 0 ? idleMs : Infinity),
      () => server.#acceptor.connections,
    );
    return server;
  }

  /** The TCP port the server listens on. */
  get port(): number {
    return this.#listeners.port;
  }

  /** The TLS line port, or 0 when off. */
  get tlsPort(): number {
    return this.#listeners.tlsPort;
  }

  /** The HTTP port (WebSocket at `/ws`), or 0 when off. */
  get httpPort(): number {
    return this.#listeners.httpPort;
  }

  /** True when the HTTP port speaks HTTPS/WSS. */
  get httpSecure(): boolean {
    return this.#listeners.httpSecure;
  }

  /**
   * Serves `certificate` to new TLS connections on every TLS listener;
   * sessions already open go on.
   *
   * @throws {CertificateError} when it cannot be used (the old one stays).
   */
  reloadCertificate(certificate: Certificate): void {
    this.#listeners.reload(certificate);
  }

  /** The UDP port, or 0 when the UDP channel is off. */
  get udpPort(): number {
    return this.#listeners.udp?.port ?? 0;
  }

  /** UDP counters: datagrams in and out, drops by reason; null when off. */
  get udpStats(): UdpStatsSnapshot | null {
    return this.#listeners.udp?.stats.snapshot() ?? null;
  }

  /** Sessions with an open UDP channel. */
  get udpChannelCount(): number {
    return this.#listeners.udp?.channelCount ?? 0;
  }

  /** Open connections, logged in or not. */
  get connectionCount(): number {
    return this.#acceptor.connections.size;
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
    return this.#acceptor.connections;
  }

  /** The rooms of this server (in a deployment: those with members here). */
  get rooms(): DeploymentParts["rooms"] {
    return this.#rooms;
  }

  /** False once the server has stopped accepting connections (drain, close). */
  get accepting(): boolean {
    return this.#listeners.accepting;
  }

  /**
   * Stops accepting connections (TCP, TLS, WebSocket); those open stay.
   * Resolves once the listeners are closed. The UDP channel stays for the
   * sessions there are.
   */
  stopAccepting(): Promise<void> {
    return this.#listeners.stopAccepting();
  }

  /** Resolves once no connection is open (at once if none is). */
  whenNoConnections(): Promise<void> {
    return this.#acceptor.whenNoConnections();
  }

  gone(connection: Connection): void {
    this.#acceptor.gone(connection);
  }

  /**
   * Stops accepting, ends every session (rooms are told), flushes what is
   * queued and closes every connection.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  #close(): Promise<void> {
    return closeServer({
      ctx: this.ctx,
      sweeper: this.#sweeper,
      revocations: this.#revocations,
      stopping: this.#stopping,
      flow: this.flow,
      listeners: this.#listeners,
      resume: this.#resume,
      acceptor: this.#acceptor,
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
