/**
 * How one connection ends, whatever ends it: a close flushes what is queued
 * first (for at most 2 s); a cut (a stalled or
 * oversized queue) or a crash drops it. Either way the session ends at once
 * (or is held for its client to resume), its room is told, and the failure
 * reaches no other client. A half-close by the client ends it once its lines
 * so far are handled.
 *
 * Made once per connection; only the connection calls it, never per line.
 *
 * @example
 * ```ts ignore
 * import { ConnectionEnding } from "./connection_ending.ts";
 * const ending = new ConnectionEnding({ connection, socket, owner, out, pressure, input, framer, tap });
 * ending.close("server shutting down");
 * ```
 * @module
 */
import { ErrorCode, LineTooLongError } from "../../protocol/mod.ts";
import type { LineFramer } from "../../protocol/mod.ts";
import { errorFrame } from "../handlers/refuse.ts";
import { errorField } from "../logger.ts";
import type { TransportSocket } from "../transport/transport.ts";
import type { Backpressure } from "./backpressure.ts";
import type { Connection, ConnectionOwner } from "./connection.ts";
import type { InputGate } from "./input_gate.ts";
import type { OutboundQueue } from "./outbound.ts";
import type { TrafficTap } from "./traffic_tap.ts";

/** How long a closing connection may take to flush before it is cut. */
const CLOSE_FLUSH_MS = 2_000;

/** The parts of a connection that ending it stops. */
export interface EndingParts {
  readonly connection: Connection;
  readonly socket: TransportSocket;
  readonly owner: ConnectionOwner;
  readonly out: OutboundQueue;
  readonly pressure: Backpressure;
  readonly input: InputGate;
  readonly framer: LineFramer;
  readonly tap: TrafficTap;
}

/** The ending of one connection. */
export class ConnectionEnding {
  readonly #conn: Connection;
  readonly #socket: TransportSocket;
  readonly #owner: ConnectionOwner;
  readonly #out: OutboundQueue;
  readonly #pressure: Backpressure;
  readonly #input: InputGate;
  readonly #framer: LineFramer;
  readonly #tap: TrafficTap;
  #cutTimer: ReturnType<typeof setTimeout> | undefined;
  #peerEnded = false;
  #reason: string | undefined;

  /** Ends the connection of `parts`, when asked to. */
  constructor(parts: EndingParts) {
    this.#conn = parts.connection;
    this.#socket = parts.socket;
    this.#owner = parts.owner;
    this.#out = parts.out;
    this.#pressure = parts.pressure;
    this.#input = parts.input;
    this.#framer = parts.framer;
    this.#tap = parts.tap;
  }

  /**
   * The client half-closed its side. `busy`: a command of its is pending;
   * then, or while bytes are kept, the end waits for them (see
   * {@linkcode drained}).
   */
  peerEnded(busy: boolean): void {
    if (this.#conn.closed) return;
    this.#peerEnded = true;
    if (!this.#input.holding && !busy) this.#closeAfterPeerEnd();
    else this.#input.wake();
  }

  /** Everything kept has been read: a half-closed client is closed now. */
  drained(): void {
    if (this.#peerEnded) this.#closeAfterPeerEnd();
  }

  #closeAfterPeerEnd(): void {
    this.#owner.ctx.logger.info("conn.half_closed", {
      conn: this.#conn.serial,
      remote: this.#conn.remote,
    });
    this.close("client closed its side");
  }

  /** A line over the cap, or a fault while reading: an error line, then a close. */
  fail(error: unknown): void {
    if (this.#conn.closed) return;
    const conn = this.#conn;
    const log = this.#owner.ctx.logger;
    if (error instanceof LineTooLongError) {
      log.warn("limit.line_bytes", {
        conn: conn.serial,
        remote: conn.remote,
        max: error.maxLineBytes,
      });
      conn.send(errorFrame("?", ErrorCode.LineTooLong, error.message));
      this.close("line too long");
      return;
    }
    this.#logCrash(error);
    conn.send(
      errorFrame(
        "?",
        ErrorCode.Internal,
        "internal error; closing this connection",
      ),
    );
    this.close("internal error");
  }

  /** Ends the session now, then closes once queued lines are written. */
  close(reason: string): void {
    if (this.#conn.closed) return;
    this.#end(reason);
    this.#cutTimer = setTimeout(() => this.#socket.destroy(), CLOSE_FLUSH_MS);
    this.#out.drained().then(() => this.#socket.end());
  }

  /** Closes at once, dropping what is queued (a stalled or oversized queue). */
  cut(reason: string, fields: Record<string, number> = {}): void {
    if (this.#conn.closed) return;
    this.#owner.ctx.logger.warn("conn.cut", {
      conn: this.#conn.serial,
      remote: this.#conn.remote,
      reason,
      ...fields,
    });
    this.#drop(reason);
  }

  /** Cut for memory: a resumable session ends too, its log freed now. */
  cutForBudget(): void {
    this.#conn.session?.resume?.abandon();
    this.cut("outbound budget", { queued_bytes: this.#out.pendingBytes });
  }

  /** A fault on the sending side: logged, then closed at once like a cut. */
  crash(error: unknown): void {
    if (this.#conn.closed) return;
    this.#logCrash(error);
    this.#drop("internal error");
  }

  #logCrash(error: unknown): void {
    this.#owner.ctx.logger.error("conn.crash", {
      conn: this.#conn.serial,
      remote: this.#conn.remote,
      error: errorField(error, true),
    });
  }

  #drop(reason: string): void {
    this.#reason ??= reason;
    // Leaving the room fans out to the others: never do it inside the fan-out
    // that found this queue full.
    queueMicrotask(() => {
      this.#end(reason);
      this.#socket.destroy();
    });
    this.#conn.markClosed();
    this.#out.stop();
    this.#tap.dropped();
    this.#pressure.dispose();
  }

  #end(reason: string): void {
    this.#reason ??= reason;
    this.#conn.markClosed();
    this.#input.close();
    this.#framer.reset();
    this.#pressure.dispose();
    this.endSession(reason);
  }

  /** Ends the session on this connection, if any, or holds it for a resume. */
  endSession(reason: string): void {
    const conn = this.#conn;
    const session = conn.session;
    if (session === null) return;
    const ctx = this.#owner.ctx;
    if (session.resume?.detach(conn, reason) === true) {
      // Held for its client to resume (server/resume/).
      ctx.logger.info("session.away", {
        conn: conn.serial,
        session: session.id,
        reason,
      });
      conn.session = null;
      return;
    }
    ctx.sessions.end(session);
    ctx.logger.info("session.end", {
      conn: conn.serial,
      session: session.id,
      reason,
    });
    conn.session = null;
  }

  /** The socket has closed: end the session if still open, forget the connection. */
  socketClosed(error?: Error): void {
    const conn = this.#conn;
    this.#owner.ctx.logger.info("conn.close", {
      conn: conn.serial,
      remote: conn.remote,
      reason: this.#reason ?? (error ? "error" : "disconnected"),
      error: error?.message,
    });
    if (conn.session !== null) this.#end("disconnected");
    this.#conn.markClosed();
    clearTimeout(this.#cutTimer);
    this.#out.stop();
    this.#tap.dropped();
    this.#pressure.dispose();
    this.#tap.retire();
    this.#owner.gone(conn);
  }
}
