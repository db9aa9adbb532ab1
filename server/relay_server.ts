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
import { type Limits, resolveLimits } from "../protocol/mod.ts";
import { Admission } from "./admission.ts";
import { type Authenticator, OpenAuthenticator } from "./auth.ts";
import { Connection, type ConnectionOwner } from "./connection.ts";
import type { ServerContext } from "./context.ts";
import { checkFileLimit } from "./fd_limit.ts";
import { errorFrame } from "./handlers/refuse.ts";
import { IdleSweeper } from "./idle_sweeper.ts";
import { createLogger, type Logger } from "./logger.ts";
import { NodeTcpTransport } from "./node_transport.ts";
import { FlushScheduler } from "./outbound.ts";
import { LocalRooms } from "./rooms.ts";
import { CounterSessionIds, type SessionIdSource } from "./session_ids.ts";
import { SessionRegistry } from "./sessions.ts";
import type {
  SocketEvents,
  Transport,
  TransportServer,
  TransportSocket,
} from "./transport.ts";

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
  /**
   * Close connections that send no line for this long (ms); 0, the default,
   * never does (the seeds' clients send no keepalive).
   */
  idleTimeoutMs?: number;
}

/** A running relay server. */
export class RelayServer implements AsyncDisposable, ConnectionOwner {
  readonly ctx: ServerContext;
  readonly scheduler = new FlushScheduler();
  readonly hostname: string;
  readonly #connections = new Set<Connection>();
  readonly #rooms: LocalRooms;
  #listener: TransportServer | null = null;
  #serial = 0;
  #allGone: PromiseWithResolvers<void> | null = null;
  #closing: Promise<void> | null = null;
  readonly #admission: Admission;
  #sweeper: IdleSweeper | null = null;

  private constructor(options: RelayServerOptions) {
    this.hostname = options.hostname ?? "127.0.0.1";
    const limits = resolveLimits(options.limits);
    this.#rooms = new LocalRooms({ maxRooms: limits.maxRooms });
    this.#admission = new Admission(limits);
    this.ctx = {
      limits,
      auth: options.auth ?? new OpenAuthenticator(),
      ids: options.ids ?? new CounterSessionIds(),
      rooms: this.#rooms,
      sessions: new SessionRegistry(this.#rooms),
      logger: options.logger ?? createLogger({ level: "silent" }),
    };
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
    const transport = options.transport ?? new NodeTcpTransport();
    server.#listener = await transport.listen(
      server.hostname,
      options.port ?? 0,
      (socket) => server.#accept(socket),
    );
    if (idleMs > 0) {
      server.#sweeper = new IdleSweeper(idleMs, () => server.#connections);
    }
    return server;
  }

  #accept(socket: TransportSocket): SocketEvents {
    const address = socket.remoteAddress;
    const refusal = this.#admission.admit(address);
    if (refusal !== null) {
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
    this.ctx.logger.info("conn.open", {
      conn: connection.serial,
      remote: socket.remote,
    });
    return {
      data: (chunk) => connection.data(chunk),
      end: () => connection.peerEnded(),
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

  /** Open connections, logged in or not. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Live sessions. */
  get sessionCount(): number {
    return this.ctx.sessions.size;
  }

  /** Rooms that exist now. */
  get roomCount(): number {
    return this.#rooms.size;
  }

  gone(connection: Connection): void {
    this.#connections.delete(connection);
    if (this.#connections.size === 0) this.#allGone?.resolve();
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
    const listening = this.#listener?.close();
    if (this.#connections.size > 0) {
      this.#allGone = Promise.withResolvers<void>();
      for (const connection of this.#connections) {
        connection.close("server shutting down");
      }
      await this.#allGone.promise;
    }
    await listening;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
