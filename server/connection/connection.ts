/**
 * One client connection: bytes -> framer -> rate -> decoder -> dispatch, and
 * the outbound queue back. Any failure ends this connection cleanly (its
 * session leaves its room, the others are told) and never reaches another
 * client; so do a stall, a half-close, an idle or login timeout.
 *
 * Reading is flow-controlled: the connection stops reading its socket
 * (mid-chunk if need be, keeping the rest of the chunk) while a login or
 * another slow command is pending, while its line rate's bucket is empty,
 * and while a receiver of what it sent is over the high-water mark
 * (see backpressure.ts). TCP then pushes back on the client. Nothing it sent
 * is dropped or refused for being fast.
 *
 * This file is the line intake and the send path, which share the per-line
 * state. The rest is composed, made once per connection: connection_ending.ts,
 * login_gate.ts, connection_timeouts.ts, traffic_tap.ts, client_queue_level.ts,
 * rate_stop.ts.
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
  LineFramer,
  RESUME_BYTE,
} from "../../protocol/mod.ts";
import type { Client } from "../sessions/client.ts";
import { dispatch } from "../dispatch.ts";
import { errorFrame } from "../handlers/refuse.ts";
import { RateLimits } from "../limits/rate_limits.ts";
import { countIn, type ServerMetrics, Traffic } from "../metrics/mod.ts";
import type { Session } from "../sessions/session.ts";
import { handleResumeLine } from "../resume/resume_line.ts";
import type { TransportSocket } from "../transport/transport.ts";
import { Backpressure } from "./backpressure.ts";
import type { BudgetMember } from "./flow.ts";
import type { FlushScheduler } from "./flush_scheduler.ts";
import {
  type OutboundOptions,
  OutboundQueue,
  type OutboundTotal,
} from "./outbound.ts";
import { InputGate, type InputGateHost } from "./input_gate.ts";
import type { Sweepable } from "./sweeper.ts";
import { ConnectionEnding } from "./connection_ending.ts";
import { ConnectionTimeouts } from "./connection_timeouts.ts";
import { TrafficTap } from "./traffic_tap.ts";
import { ClientQueueLevel } from "./client_queue_level.ts";
import { LoginGate } from "./login_gate.ts";
import { RateStop } from "./rate_stop.ts";
import type { ConnectionOwner } from "./connection_owner.ts";

export type { ConnectionOwner } from "./connection_owner.ts";

/** One client connection. */
export class Connection
  implements Client, Sweepable, BudgetMember, OutboundOptions, InputGateHost {
  readonly #socket: TransportSocket;
  readonly #owner: ConnectionOwner;
  readonly #out: OutboundQueue;
  readonly #pressure: Backpressure;
  readonly #level: ClientQueueLevel;
  readonly #rate: RateLimits;
  readonly #rateStop: RateStop;
  readonly #input: InputGate;
  readonly #ending: ConnectionEnding;
  readonly #timeouts: ConnectionTimeouts;
  readonly #gate: LoginGate;
  readonly #tap: TrafficTap;
  #session: Session | null = null;
  #closed = false;
  /** A login or another slow command is pending: read nothing until it settles. */
  #busy = false;
  /** The clock (ms), read once per chunk: rate limits and idle time use it. */
  #now: number;
  #lastLine: number;
  /** Lines and bytes in and out (shown per session by the admin endpoint). */
  readonly traffic = new Traffic();
  /** The server's counters; null when counting is off. */
  readonly #metrics: ServerMetrics | null;
  /** When the bytes being framed were read from the socket (`#now` then). */
  #arrival: number;

  /** Wraps an accepted socket; `serial` names it in logs. */
  constructor(
    readonly serial: number,
    socket: TransportSocket,
    owner: ConnectionOwner,
  ) {
    this.#socket = socket;
    this.#owner = owner;
    const limits = owner.ctx.limits;
    const framer = new LineFramer(limits.maxLineBytes, this.#onLine);
    // This connection is the queue's options and the gate's host itself
    // (the methods at the end): no closures made per connection.
    const out = this.#out = new OutboundQueue(this);
    this.#input = new InputGate(framer, socket, this);
    const level = this.#level = new ClientQueueLevel(out, owner.flow);
    this.#pressure = new Backpressure(owner.flow, level, this.#input);
    level.heldBy(this.#pressure);
    const now = performance.now();
    this.#now = now;
    this.#arrival = now;
    this.#metrics = owner.ctx.metrics.enabled ? owner.ctx.metrics : null;
    this.#tap = new TrafficTap(this.traffic, this.#metrics);
    this.#lastLine = now;
    // The connection itself names it in log lines (no fields object kept).
    this.#rate = new RateLimits(limits, owner.ctx.logger, this, now);
    this.#rateStop = new RateStop(this.#rate, owner.flow, this.#input);
    const ending = this.#ending = new ConnectionEnding({
      connection: this,
      socket,
      owner,
      out,
      pressure: this.#pressure,
      input: this.#input,
      framer,
      tap: this.#tap,
    });
    this.#gate = new LoginGate(this, owner, ending, this.#rate, now);
    this.#timeouts = new ConnectionTimeouts(this, owner, ending, this.#gate);
  }

  get remote(): string {
    return this.#socket.remote;
  }

  get remoteAddress(): string {
    return this.#socket.remoteAddress;
  }

  /** True for TLS and WSS connections. */
  get encrypted(): boolean {
    return this.#socket.encrypted === true;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sets {@linkcode closed}: it reads, and is counted as open, no more.
   * Only its ending (connection_ending.ts) calls it.
   */
  markClosed(): void {
    this.#closed = true;
  }

  /** The session logged in on this connection, if any. */
  get session(): Session | null {
    return this.#session;
  }

  set session(session: Session | null) {
    if (session === null && this.#session !== null) {
      this.#gate.loggedOut(performance.now());
    }
    this.#session = session;
    this.#level.session = session;
  }

  /** Bytes queued for this client and not yet written. */
  get pendingBytes(): number {
    return this.#out.pendingBytes;
  }

  /** Times this connection stopped reading for its line rate. */
  get rateDelays(): number {
    return this.#rate.delays;
  }

  send(frame: Uint8Array): void {
    // A fault while queueing for this client (maybe inside another client's
    // fan-out) ends this connection only.
    try {
      this.#out.push(frame);
      const m = this.#metrics;
      if (m !== null && !this.#out.stopped) {
        this.#tap.queued(m, frame, this.#closed);
      }
      this.#pressure.queued();
      if (this.#owner.flow.overBudget) this.#owner.flow.enforceBudget();
    } catch (error) {
      this.#ending.crash(error);
    }
  }

  /** Bytes arrived from the client. */
  data(chunk: Uint8Array): void {
    if (this.#closed) return;
    this.#now = performance.now();
    // Bytes kept from earlier arrived earlier: their lines keep that time.
    if (!this.#input.holding) this.#arrival = this.#now;
    this.#input.data(chunk);
  }

  #onLine = (line: Uint8Array): void => {
    if (!this.#closed) {
      this.#lastLine = this.#now;
      const m = this.#metrics;
      if (m === null) this.#handle(line);
      else {
        countIn(m, this.traffic, line);
        m.probe.begin(this.#arrival);
        try {
          this.#handle(line);
        } finally {
          m.probe.end();
        }
      }
    }
    this.#input.lineDone();
  };

  #handle(line: Uint8Array): void {
    const ctx = this.#owner.ctx;
    this.#rate.line(this.#now);
    this.#session?.resume?.lineIn(line);
    if (line[0] === RESUME_BYTE && ctx.resume !== undefined) {
      handleResumeLine(
        ctx.resume,
        ctx,
        this,
        line,
        () => this.#rate.login(this.#now),
      );
      return;
    }
    // An empty line is a keepalive: it counts, and is answered by nothing.
    if (line.length === 0) return;
    const msg = decodeClientLine(line, ctx.limits);
    if (msg.kind === "invalid") {
      ctx.logger.debug("line.refused", { conn: this.serial, code: msg.code });
      this.send(errorFrame(msg.command, msg.code, msg.reason));
      return;
    }
    if (msg.kind === "login" && this.#gate.refused(this.#now)) return;
    const pending = dispatch(ctx, this, msg);
    if (pending !== undefined) {
      this.#busy = true;
      // Callbacks made per slow command, not kept per connection.
      pending.then(() => this.#settled(), (error) => this.#ending.fail(error));
    }
  }

  /** A slow command has settled: read on. */
  #settled(): void {
    this.#busy = false;
    this.#input.wake();
  }

  /**
   * The client half-closed its side: it will send nothing more. Its lines
   * so far are handled, its session ends at once (the room is told), what is
   * queued for it is flushed, and the socket is closed.
   */
  peerEnded(): void {
    this.#ending.peerEnded(this.#busy);
  }

  /**
   * Acts on the clock: a queue without progress for the stall timeout is
   * cut, a connection without a session for the login timeout and one
   * without a line for the idle timeout are closed.
   */
  sweep(now: number): void {
    this.#timeouts.sweep(now, this.#lastLine, this.#busy);
  }

  /** Milliseconds its queue has gone without progress as of `now`; 0 when empty. */
  stalledFor(now: number): number {
    return this.#out.pendingBytes === 0 || this.#out.stopped
      ? 0
      : now - this.#out.lastProgress;
  }

  /** The client acknowledged lines (resume): its queue went down. */
  acknowledged(): void {
    this.#pressure.wrote();
  }

  cutForBudget(): void {
    this.#ending.cutForBudget();
  }

  /** Ends the session now, then closes once queued lines are written. */
  close(reason: string): void {
    this.#ending.close(reason);
  }

  /** The socket has closed: end the session if still open, forget the connection. */
  socketClosed(error?: Error): void {
    this.#ending.socketClosed(error);
  }

  // The outbound queue's options (OutboundOptions); only the queue calls them.

  /** The queue's writer: hands `data` to the socket. */
  write(data: Uint8Array, done: (error?: Error | null) => void): void {
    this.#socket.write(data, done);
  }

  get scheduler(): FlushScheduler {
    return this.#owner.scheduler;
  }

  get maxBytes(): number {
    return this.#owner.ctx.limits.maxOutboundBytes;
  }

  get total(): OutboundTotal {
    return this.#owner.flow.total;
  }

  onOverflow(queuedBytes: number): void {
    this.#owner.flow.stats.capCuts++;
    this.#ending.cut("outbound cap", { queued_bytes: queuedBytes });
  }

  onError(error: unknown): void {
    this.#ending.crash(error);
  }

  onWritten(): void {
    this.#pressure.wrote();
    if (this.#tap.probeArmed) this.#tap.written(this.#out);
  }

  // The input gate's host (InputGateHost); only the gate calls them.

  /**
   * Closed, a command pending, a receiver holding this sender, or the line
   * rate's bucket empty (then a wake-up comes with tokens again).
   */
  mustStopReading(): boolean {
    return this.#closed || this.#busy || this.#pressure.blocked ||
      this.#rateStop.mustStop(this.#now);
  }

  readingResumes(): void {
    this.#now = performance.now();
  }

  framing(active: boolean): void {
    this.#owner.flow.sender = active ? this.#pressure : null;
  }

  framingFailed(error: unknown): void {
    this.#ending.fail(error);
  }

  inputDrained(): void {
    this.#ending.drained();
  }
}
