/**
 * One TCP connection: bytes -> framer -> decoder -> dispatch, and the
 * outbound queue back. Any failure ends this connection cleanly (its session
 * leaves its room, the others are told) and never reaches another client.
 *
 * @example
 * ```ts
 * import { Connection } from "./connection.ts";
 * console.assert(typeof Connection === "function");
 * ```
 * @module
 */
import {
  decodeClientLine,
  ErrorCode,
  LineFramer,
  LineTooLongError,
} from "../protocol/mod.ts";
import type { Client } from "./client.ts";
import type { ServerContext } from "./context.ts";
import { dispatch } from "./dispatch.ts";
import { errorFrame } from "./handlers/refuse.ts";
import { type FlushScheduler, OutboundQueue } from "./outbound.ts";
import type { Session } from "./session.ts";
import type { TransportSocket } from "./transport.ts";

/** How long a closing connection may take to flush before it is cut. */
const CLOSE_FLUSH_MS = 2_000;

/** A connection's place in its server. */
export interface ConnectionOwner {
  readonly ctx: ServerContext;
  readonly scheduler: FlushScheduler;
  /** Called once, after the socket has closed and the session has ended. */
  gone(connection: Connection): void;
}

/** One client connection. */
export class Connection implements Client {
  session: Session | null = null;
  readonly #socket: TransportSocket;
  readonly #owner: ConnectionOwner;
  readonly #framer: LineFramer;
  readonly #out: OutboundQueue;
  #closed = false;
  #inputEnded = false;
  #busy = false;
  #backlog: Uint8Array[] = [];
  #cutTimer: ReturnType<typeof setTimeout> | undefined;

  /** Wraps an accepted socket; `serial` names it in logs. */
  constructor(
    readonly serial: number,
    socket: TransportSocket,
    owner: ConnectionOwner,
  ) {
    this.#socket = socket;
    this.#owner = owner;
    const limits = owner.ctx.limits;
    this.#framer = new LineFramer(limits.maxLineBytes, this.#onLine);
    this.#out = new OutboundQueue({
      write: (data, done) => socket.write(data, done),
      scheduler: owner.scheduler,
      maxBytes: limits.maxOutboundBytes,
      onOverflow: (bytes) => this.#cut("slow reader", { queued_bytes: bytes }),
    });
  }

  get remote(): string {
    return this.#socket.remote;
  }

  get remoteAddress(): string {
    return this.#socket.remoteAddress;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes queued for this client and not yet written. */
  get pendingBytes(): number {
    return this.#out.pendingBytes;
  }

  send(frame: Uint8Array): void {
    this.#out.push(frame);
  }

  /** Bytes arrived from the client. */
  data(chunk: Uint8Array): void {
    if (this.#closed) return;
    try {
      this.#framer.push(chunk);
    } catch (error) {
      this.#fail(error);
    }
  }

  #onLine = (line: Uint8Array): void => {
    if (this.#closed) return;
    if (this.#busy) this.#backlog.push(line.slice());
    else this.#handle(line);
  };

  #handle(line: Uint8Array): void {
    const ctx = this.#owner.ctx;
    const msg = decodeClientLine(line, ctx.limits);
    if (msg.kind === "invalid") {
      ctx.logger.debug("line.refused", { conn: this.serial, code: msg.code });
      this.send(errorFrame(msg.command, msg.code, msg.reason));
      return;
    }
    const pending = dispatch(ctx, this, msg);
    if (pending !== undefined) {
      this.#busy = true;
      this.#socket.pause();
      pending.then(this.#settled, (error) => this.#fail(error));
    }
  }

  /** Runs the lines that arrived while a login was being checked. */
  #settled = (): void => {
    this.#busy = false;
    try {
      while (!this.#busy && !this.#closed && this.#backlog.length > 0) {
        this.#handle(this.#backlog.shift()!);
      }
    } catch (error) {
      this.#fail(error);
    }
    if (!this.#busy && !this.#closed) {
      if (this.#inputEnded) this.close("client finished sending");
      else this.#socket.resume();
    }
  };

  /**
   * The client sends nothing more (`printf '0:ada:pw\n1:\n' | nc …`): answer
   * the lines it sent, including those waiting on a login, then close.
   */
  inputEnded(): void {
    if (this.#closed) return;
    this.#inputEnded = true;
    if (!this.#busy) this.close("client finished sending");
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    const log = this.#owner.ctx.logger;
    if (error instanceof LineTooLongError) {
      log.warn("limit.line_bytes", {
        conn: this.serial,
        remote: this.remote,
        max: error.maxLineBytes,
      });
      this.send(errorFrame("?", ErrorCode.LineTooLong, error.message));
      this.close("line too long");
      return;
    }
    log.error("conn.crash", {
      conn: this.serial,
      remote: this.remote,
      error: error instanceof Error
        ? error.stack ?? error.message
        : String(error),
    });
    this.send(
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
    if (this.#closed) return;
    this.#end(reason);
    this.#cutTimer = setTimeout(() => this.#socket.destroy(), CLOSE_FLUSH_MS);
    this.#out.drained().then(() => this.#socket.end());
  }

  /** Closes at once, dropping what is queued (a slow reader). */
  #cut(reason: string, fields: Record<string, number> = {}): void {
    if (this.#closed) return;
    this.#owner.ctx.logger.warn("conn.cut", {
      conn: this.serial,
      remote: this.remote,
      reason,
      ...fields,
    });
    // Leaving the room fans out to the others: never do it inside the fan-out
    // that found this queue full.
    queueMicrotask(() => {
      this.#end(reason);
      this.#socket.destroy();
    });
    this.#closed = true;
    this.#out.stop();
  }

  #end(reason: string): void {
    const ctx = this.#owner.ctx;
    this.#closed = true;
    this.#backlog = [];
    this.#framer.reset();
    if (this.session !== null) {
      ctx.sessions.end(this.session);
      ctx.logger.info("session.end", {
        conn: this.serial,
        session: this.session.id,
        reason,
      });
      this.session = null;
    }
  }

  /** The socket has closed: end the session if still open, forget the connection. */
  socketClosed(error?: Error): void {
    this.#owner.ctx.logger.info("conn.close", {
      conn: this.serial,
      remote: this.remote,
      error: error?.message,
    });
    if (this.session !== null) this.#end("disconnected");
    this.#closed = true;
    clearTimeout(this.#cutTimer);
    this.#out.stop();
    this.#owner.gone(this);
  }
}
