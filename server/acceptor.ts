/**
 * The accept path of one relay server: every listener's new socket is
 * admitted or refused (limits/admission.ts), then wrapped in a
 * {@linkcode Connection} whose socket events it routes; it keeps the open
 * connections until they are gone.
 *
 * @example
 * ```ts ignore
 * import { Acceptor } from "./acceptor.ts";
 * const acceptor = new Acceptor(new Admission(limits), server);
 * const events = acceptor.accept(socket);
 * console.log(acceptor.connections.size);
 * ```
 * @module
 */
import type { Admission } from "./limits/admission.ts";
import { Connection, type ConnectionOwner } from "./connection/connection.ts";
import { errorFrame } from "./handlers/refuse.ts";
import type { ErrorCode } from "../protocol/mod.ts";
import type { SocketEvents, TransportSocket } from "./transport/transport.ts";

/**
 * Routes one admitted socket's events to its connection: one small object
 * per connection (methods, not four closures).
 */
class ConnectionEvents implements SocketEvents {
  readonly #connection: Connection;
  readonly #admission: Admission;

  constructor(connection: Connection, admission: Admission) {
    this.#connection = connection;
    this.#admission = admission;
  }

  data(chunk: Uint8Array): void {
    this.#connection.data(chunk);
  }

  end(): void {
    this.#connection.peerEnded();
  }

  refuse(code: ErrorCode, text: string): void {
    this.#connection.send(errorFrame("?", code, text));
  }

  close(error?: Error): void {
    this.#admission.release(this.#connection.remoteAddress);
    this.#connection.socketClosed(error);
  }
}

/** Admits sockets as connections and keeps those open. */
export class Acceptor {
  /** The open connections. */
  readonly connections: Set<Connection> = new Set();
  readonly #admission: Admission;
  readonly #owner: ConnectionOwner;
  #serial = 0;
  #allGone: PromiseWithResolvers<void> | null = null;
  #idle: (() => void)[] = [];

  /** Admits by `admission`; `owner` is every connection's owner. */
  constructor(admission: Admission, owner: ConnectionOwner) {
    this.#admission = admission;
    this.#owner = owner;
  }

  /** A listener's new socket: refused with an error line, or a connection. */
  accept(socket: TransportSocket): SocketEvents {
    const { ctx } = this.#owner;
    const address = socket.remoteAddress;
    const refusal = this.#admission.admit(address);
    if (refusal !== null) {
      ctx.metrics.countRefusal(refusal.code);
      ctx.logger.warn("conn.refused", {
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
    const connection = new Connection(++this.#serial, socket, this.#owner);
    this.connections.add(connection);
    ctx.metrics.connectionsAccepted++;
    ctx.logger.info("conn.open", {
      conn: connection.serial,
      remote: socket.remote,
    });
    return new ConnectionEvents(connection, this.#admission);
  }

  /** A connection has closed: forget it. */
  gone(connection: Connection): void {
    this.connections.delete(connection);
    if (this.connections.size === 0) {
      this.#allGone?.resolve();
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** Resolves once no connection is open (at once if none is). */
  whenNoConnections(): Promise<void> {
    if (this.connections.size === 0) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#idle.push(resolve);
    return promise;
  }

  /**
   * For closing: resolves once every connection open now is gone. Call it
   * before closing them, so that none is gone unseen.
   */
  allGone(): Promise<void> {
    this.#allGone = Promise.withResolvers<void>();
    return this.#allGone.promise;
  }
}
