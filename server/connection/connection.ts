/**
 * One TCP connection: bytes -> framer -> rate limits -> decoder -> dispatch,
 * and the outbound queue back. Any failure ends this connection cleanly (its
 * session leaves its room, the others are told) and never reaches another
 * client; so do a flood, a slow reader, a half-close and an idle timeout.
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
  encodeServerMessage,
  ErrorCode,
  LineFramer,
  LineTooLongError,
} from "../../protocol/mod.ts";
import type { Client } from "../sessions/client.ts";
import type { ServerContext } from "../context.ts";
import { dispatch } from "../dispatch.ts";
import { Verdict } from "../limits/flood_guard.ts";
import { errorFrame } from "../handlers/refuse.ts";
import { errorField } from "../logger.ts";
import { type FlushScheduler, OutboundQueue } from "./outbound.ts";
import { RateLimits } from "../limits/rate_limits.ts";
import type { Session } from "../sessions/session.ts";
import type { TransportSocket } from "../transport/transport.ts";

/** How long a closing connection may take to flush before it is cut. */
const CLOSE_FLUSH_MS = 2_000;
const LOGGED_OUT = encodeServerMessage({ kind: "logged-out" });

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
  #busy = false;
  /** Lines that arrived while a login was checked; made when first needed. */
  #backlog: Uint8Array[] | null = null;
  #cutTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #rate: RateLimits;
  /** The clock (ms), read once per chunk: rate limits and idle time use it. */
  #now: number;
  #lastLine: number;
  #peerEnded = false;
  #reason: string | undefined;

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
      onError: (error) => this.#crash(error),
    });
    const now = performance.now();
    this.#now = now;
    this.#lastLine = now;
    this.#rate = new RateLimits(limits, owner.ctx.logger, {
      conn: serial,
      remote: socket.remote,
    }, now);
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
    // A fault while queueing for this client (maybe inside another client's
    // fan-out) ends this connection only.
    try {
      this.#out.push(frame);
    } catch (error) {
      this.#crash(error);
    }
  }

  /** Bytes arrived from the client. */
  data(chunk: Uint8Array): void {
    if (this.#closed) return;
    this.#now = performance.now();
    try {
      this.#framer.push(chunk);
    } catch (error) {
      this.#fail(error);
    }
  }

  #onLine = (line: Uint8Array): void => {
    if (this.#closed) return;
    this.#lastLine = this.#now;
    if (this.#busy) (this.#backlog ??= []).push(line.slice());
    else this.#handle(line);
  };

  #handle(line: Uint8Array): void {
    const ctx = this.#owner.ctx;
    const verdict = this.#rate.line(this.#now);
    if (verdict !== Verdict.Accept) {
      this.send(this.#rate.refusal(line, verdict));
      if (verdict === Verdict.Disconnect) this.close("flood");
      return;
    }
    const msg = decodeClientLine(line, ctx.limits);
    if (msg.kind === "invalid") {
      ctx.logger.debug("line.refused", { conn: this.serial, code: msg.code });
      this.send(errorFrame(msg.command, msg.code, msg.reason));
      return;
    }
    if (msg.kind === "login" && !this.#rate.login(this.#now)) {
      // Like any login it ends the current session first; then it is
      // refused without asking the authenticator.
      this.#endSession("login");
      this.send(this.#rate.loginRefusal(this.#now));
      this.send(LOGGED_OUT);
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
    this.#now = performance.now();
    try {
      while (!this.#busy && !this.#closed && this.#backlog?.length) {
        this.#handle(this.#backlog.shift()!);
      }
    } catch (error) {
      this.#fail(error);
    }
    if (!this.#busy && !this.#closed) {
      if (this.#peerEnded) this.#closeAfterPeerEnd();
      else this.#socket.resume();
    }
  };

  /**
   * The client half-closed its side: it will send nothing more. Its lines
   * so far are handled, its session ends at once (the room is told), what is
   * queued for it is flushed, and the socket is closed.
   */
  peerEnded(): void {
    if (this.#closed) return;
    this.#peerEnded = true;
    if (!this.#busy) this.#closeAfterPeerEnd();
  }

  #closeAfterPeerEnd(): void {
    this.#owner.ctx.logger.info("conn.half_closed", {
      conn: this.serial,
      remote: this.remote,
    });
    this.close("client closed its side");
  }

  /**
   * Closes the connection if no line has arrived for `idleMs`; returns
   * whether it did. `now` is on the `performance.now()` clock.
   */
  expireIfIdle(now: number, idleMs: number): boolean {
    if (this.#closed || now - this.#lastLine < idleMs) return false;
    this.#owner.ctx.logger.info("conn.idle", {
      conn: this.serial,
      remote: this.remote,
      idle_ms: Math.round(now - this.#lastLine),
    });
    this.send(
      errorFrame(
        "?",
        ErrorCode.IdleTimeout,
        `no line for ${idleMs / 1000} s; closing`,
      ),
    );
    this.close("idle timeout");
    return true;
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
    this.#logCrash(error);
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
    this.#drop(reason);
  }

  /** A fault on the sending side: logged, then closed at once like a cut. */
  #crash(error: unknown): void {
    if (this.#closed) return;
    this.#logCrash(error);
    this.#drop("internal error");
  }

  #logCrash(error: unknown): void {
    this.#owner.ctx.logger.error("conn.crash", {
      conn: this.serial,
      remote: this.remote,
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
    this.#closed = true;
    this.#out.stop();
  }

  #end(reason: string): void {
    this.#reason ??= reason;
    this.#closed = true;
    this.#backlog = null;
    this.#framer.reset();
    this.#endSession(reason);
  }

  #endSession(reason: string): void {
    if (this.session === null) return;
    const ctx = this.#owner.ctx;
    ctx.sessions.end(this.session);
    ctx.logger.info("session.end", {
      conn: this.serial,
      session: this.session.id,
      reason,
    });
    this.session = null;
  }

  /** The socket has closed: end the session if still open, forget the connection. */
  socketClosed(error?: Error): void {
    this.#owner.ctx.logger.info("conn.close", {
      conn: this.serial,
      remote: this.remote,
      reason: this.#reason ?? (error ? "error" : "disconnected"),
      error: error?.message,
    });
    if (this.session !== null) this.#end("disconnected");
    this.#closed = true;
    clearTimeout(this.#cutTimer);
    this.#out.stop();
    this.#owner.gone(this);
  }
}
