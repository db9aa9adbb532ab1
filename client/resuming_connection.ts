/**
 * The connection of a client that reconnects by itself: to the client it
 * looks like one connection that lives until closed; underneath it opens a
 * new one after each drop and resumes the session on it (docs/protocol.md,
 * "Resuming a session"), or, when the session cannot be resumed, tells the
 * client to log in afresh.
 *
 * While the session is resumable it counts the server's lines (every line
 * but `7:` ones) and keeps ours until the server acknowledges them
 * (a {@linkcode LineLog}, bounded by `maxResendBytes`); both sides
 * acknowledge as lines arrive. After a drop: backoff with jitter, a new
 * connection, `7:<id>:<token>:<n>`; the answer says how many of our lines
 * the server has, and the rest are sent again before anything new. Lines
 * written while disconnected wait in the same log and go out then.
 *
 * The parts: {@linkcode CurrentLink} (the connection now in use),
 * {@linkcode ResendLog} (our lines kept and sent again), {@linkcode AckCounter}
 * (the server's lines counted and acknowledged), {@linkcode ResumeSession}
 * (the `7:` talk), {@linkcode Reconnector} (the way back after a drop) and
 * {@linkcode BackSignal} (writes waiting for it).
 *
 * @example
 * ```ts ignore
 * import { ResumingConnection } from "./resuming_connection.ts";
 * // RelayClient.connect({ reconnect: true }) builds one; see client_core.ts.
 * ```
 * @module
 */
import { encodeResumeLine, RESUME_BYTE } from "../protocol/mod.ts";
import { BackSignal } from "./back_signal.ts";
import { CurrentLink } from "./current_link.ts";
import { ConnectionClosedError } from "./errors.ts";
import { AckCounter } from "../protocol/ack_counter.ts";
import type { LinkOpener } from "./line_link.ts";
import { Reconnector } from "./reconnector.ts";
import type { ResolvedReconnectOptions } from "./reconnect_options.ts";
import { ResendLog } from "./resend_log.ts";
import type { ResumeHooks } from "./resume_hooks.ts";
import { ResumeSession } from "./resume_session.ts";
import type { CloseInfo } from "./tcp_connection.ts";

export type { LineLink, LinkOpener } from "./line_link.ts";
export type { ResumeHooks } from "./resume_hooks.ts";

const nothing = () => {};

/** How long `7:` may wait for its answer; how many bytes of lines may wait for room in the log. */
export interface ResumeLimits {
  readonly requestTimeoutMs: number;
  readonly maxPendingBytes: number;
}

/** A connection that comes back after drops, resuming its session. */
export class ResumingConnection {
  readonly #options: ResolvedReconnectOptions;
  readonly #hooks: ResumeHooks;
  readonly #final = Promise.withResolvers<CloseInfo>();
  readonly #links: CurrentLink;
  readonly #kept: ResendLog;
  readonly #acks: AckCounter;
  readonly #resume: ResumeSession;
  readonly #back = new BackSignal();
  readonly #reconnector: Reconnector;
  readonly #heartbeat: ReturnType<typeof setInterval>;

  private constructor(
    open: LinkOpener,
    options: ResolvedReconnectOptions,
    hooks: ResumeHooks,
    limits: ResumeLimits,
  ) {
    this.#options = options;
    this.#hooks = hooks;
    this.#links = new CurrentLink(open, {
      onLine: (line) => this.#line(line),
      ready: () => hooks.ready(),
      dropped: (info) => this.#reconnector.dropped(info),
    });
    this.#kept = new ResendLog({
      maxResendBytes: options.maxResendBytes,
      maxWaitingBytes: limits.maxPendingBytes,
    }, (frame, kept) => this.#send(frame, kept));
    this.#acks = new AckCounter({
      canSend: () =>
        this.#links.link !== null && this.#resume.resumable &&
        !this.#resume.attempting && !this.#kept.resending,
      send: (count) => {
        this.#links.spoke();
        this.#links.link!.write(encodeResumeLine({ kind: "ack", count }))
          .catch(nothing);
      },
    });
    this.#resume = new ResumeSession(this.#kept, this.#acks, {
      requestTimeoutMs: limits.requestTimeoutMs,
      deadAfterMs: options.deadAfterMs,
    });
    this.#reconnector = new Reconnector({
      links: this.#links,
      resume: this.#resume,
      kept: this.#kept,
      acks: this.#acks,
      back: this.#back,
      hooks,
      options,
      finish: (info) => this.#finish(info),
    });
    this.#heartbeat = setInterval(this.#beat, options.heartbeatMs);
  }

  /**
   * Opens the first connection. `limits`: how long `7:` may wait for its
   * answer, and how many bytes of lines may wait for room in the log.
   *
   * @throws {ConnectFailedError} when the server cannot be reached.
   */
  static async open(
    open: LinkOpener,
    options: ResolvedReconnectOptions,
    hooks: ResumeHooks,
    limits: ResumeLimits,
  ): Promise<ResumingConnection> {
    const rc = new ResumingConnection(open, options, hooks, limits);
    try {
      rc.#links.adopt(await rc.#links.connect());
    } catch (error) {
      clearInterval(rc.#heartbeat);
      throw error;
    }
    return rc;
  }

  /** Resolves once the client is done: closed, or given up. */
  get closed(): Promise<CloseInfo> {
    return this.#final.promise;
  }

  /** True once closing has begun or the client gave up (not while reconnecting). */
  get isClosed(): boolean {
    return this.#links.closing || this.#links.state === "closed";
  }

  /** True while a connection is up (false while reconnecting). */
  get connected(): boolean {
    return this.#links.state === "up";
  }

  /** True while the session can be resumed after a drop. */
  get resumable(): boolean {
    return this.#resume.resumable;
  }

  /** Bytes written and not yet handed to the network. */
  get pendingBytes(): number {
    return this.#links.link?.pendingBytes ?? 0;
  }

  /**
   * Writes one line (with its `\n`). While the session is resumable it is
   * kept until acknowledged, and a line written while disconnected waits:
   * the promise then resolves once it has been sent on the new connection.
   *
   * @throws {SendBufferFullError} past `maxResendBytes` kept.
   * @throws {SessionEndedError} when the session ended before it was sent.
   * @throws {ConnectionClosedError} when closed, or down without a session
   *   to resume.
   */
  write(frame: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new ConnectionClosedError());
    return this.#kept.write(frame);
  }

  /** Writes `frame` on the connection, or waits for the session to be back. */
  #send(frame: Uint8Array, kept: boolean): Promise<void> {
    const link = this.#links.link;
    if (this.#links.state === "up" && link !== null) {
      this.#links.spoke();
      const written = link.write(frame);
      return kept
        ? written.catch((error) =>
          this.#resume.resumable ? this.#back.wait() : Promise.reject(error)
        )
        : written;
    }
    if (kept && this.#resume.resumable) return this.#back.wait();
    return Promise.reject(
      new ConnectionClosedError("disconnected; the session is being replaced"),
    );
  }

  /**
   * Asks the server to make the session resumable (`7:`); resolves true
   * once it is. False when the server does not know resume, or the
   * connection dropped first.
   */
  async enableResume(): Promise<boolean> {
    const link = this.#links.link;
    if (this.#resume.resumable) return true;
    if (link === null || this.#links.state !== "up") return false;
    return await this.#resume.enable(link);
  }

  /**
   * The session changed (a new login, or the server ended it): whatever
   * resume state there was belongs to the old one.
   */
  sessionChanged(): void {
    this.#resume.changed();
  }

  /**
   * Cuts the connection as a network failure would, then gets back as after
   * any drop; `downMs` keeps it down that long first. Nothing happens when
   * it is down already.
   */
  dropConnection(downMs = 0): void {
    const link = this.#links.link;
    if (this.#links.state !== "up" || link === null) return;
    this.#reconnector.holdDown(downMs);
    this.#links.cut(link);
  }

  /**
   * Ends the session and the connection: turns resume off (`7:-1`, so the
   * server ends the session at once rather than holding it), writes what is
   * queued and closes. While disconnected, what waits to be sent is dropped.
   */
  async close(): Promise<CloseInfo> {
    const links = this.#links;
    if (links.state === "closed" || links.closing) return await this.closed;
    links.closing = true;
    this.#reconnector.wake();
    this.#resume.cancel();
    this.#back.fail(new ConnectionClosedError("closed"));
    const link = links.link;
    let info: CloseInfo = { byClient: true };
    if (link !== null && links.state === "up") {
      if (this.#resume.resumable) {
        link.write(encodeResumeLine({ kind: "resume-off" })).catch(nothing);
      }
      info = await link.close();
    } else if (link !== null) {
      links.cut(link);
    }
    this.#finish({ ...info, byClient: true });
    return info;
  }

  #finish(info: CloseInfo): void {
    if (this.#links.state === "closed") return;
    this.#links.state = "closed";
    this.#links.retire();
    clearInterval(this.#heartbeat);
    this.#acks.stop();
    this.#reconnector.wake();
    this.#back.fail(new ConnectionClosedError());
    this.#kept.failWaiting(new ConnectionClosedError());
    this.#final.resolve(info);
  }

  #line(line: Uint8Array): void {
    this.#links.heard();
    if (line[0] === RESUME_BYTE) return this.#resume.control(line);
    this.#resume.screen(line);
    this.#hooks.onLine(line);
  }

  /** The heartbeat: an acknowledgement when idle; a silent connection is cut. */
  #beat = (): void => {
    const link = this.#links.link;
    if (
      link === null || this.#links.state !== "up" ||
      !this.#resume.resumable || this.#resume.attempting
    ) {
      return;
    }
    const options = this.#options;
    const silence = this.#links.silence(
      options.deadAfterMs,
      options.heartbeatMs,
    );
    if (silence === "dead") this.#links.cut(link);
    else if (silence === "idle") this.#acks.flush();
  };
}
