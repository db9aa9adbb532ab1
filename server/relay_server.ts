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
import { type Authenticator, OpenAuthenticator } from "./auth.ts";
import { Connection, type ConnectionOwner } from "./connection.ts";
import type { ServerContext } from "./context.ts";
import { DeclaredRooms } from "./declared_rooms.ts";
import { createLogger, type Logger } from "./logger.ts";
import { PasswordHasher } from "./password_hasher.ts";
import { NodeTcpTransport } from "./node_transport.ts";
import { FlushScheduler } from "./outbound.ts";
import { LocalRooms } from "./rooms.ts";
import { CounterSessionIds, type SessionIdSource } from "./session_ids.ts";
import { SessionRegistry } from "./sessions.ts";
import type { Store } from "./store/mod.ts";
import type { Transport, TransportServer } from "./transport.ts";

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
   * Where declared rooms come from; none by default (ad-hoc rooms only).
   * The server reads it but does not own it: {@linkcode RelayServer.close}
   * leaves it open for its owner to close.
   */
  store?: Store;
  /** Checks declared rooms' passwords; a default hasher by default. */
  hasher?: PasswordHasher;
  /** How stale declared rooms may be when a client lists or joins; 1 s by default. */
  roomsRefreshMs?: number;
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

  private constructor(options: RelayServerOptions) {
    this.hostname = options.hostname ?? "127.0.0.1";
    const limits = resolveLimits(options.limits);
    this.#rooms = new LocalRooms({ maxRooms: limits.maxRooms });
    const logger = options.logger ?? createLogger({ level: "silent" });
    const declaredRooms = options.store === undefined
      ? null
      : new DeclaredRooms({
        store: options.store,
        rooms: this.#rooms,
        hasher: options.hasher ?? new PasswordHasher(),
        refreshMs: options.roomsRefreshMs,
        logger,
      });
    this.ctx = {
      limits,
      auth: options.auth ?? new OpenAuthenticator(),
      ids: options.ids ?? new CounterSessionIds(),
      rooms: this.#rooms,
      sessions: new SessionRegistry(this.#rooms),
      logger,
      declaredRooms,
    };
  }

  /** Starts a server; resolves once it accepts connections. */
  static async start(options: RelayServerOptions = {}): Promise<RelayServer> {
    const server = new RelayServer(options);
    // Declared rooms are listed from the first client on.
    await server.ctx.declaredRooms?.load();
    const transport = options.transport ?? new NodeTcpTransport();
    server.#listener = await transport.listen(
      server.hostname,
      options.port ?? 0,
      (socket) => {
        const connection = new Connection(++server.#serial, socket, server);
        server.#connections.add(connection);
        server.ctx.logger.info("conn.open", {
          conn: connection.serial,
          remote: socket.remote,
        });
        return {
          data: (chunk) => connection.data(chunk),
          end: () => connection.inputEnded(),
          close: (error) => connection.socketClosed(error),
        };
      },
    );
    return server;
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
