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
 * @example
 * ```ts ignore
 * import { ResumingConnection } from "./resuming_connection.ts";
 * // RelayClient.connect({ reconnect: true }) builds one; see relay_client.ts.
 * ```
 * @module
 */
import {
  countsForResume,
  decodeResumeServerLine,
  encodeResumeLine,
  LineLog,
  RESUME_BYTE,
  type ResumeServerMessage,
} from "../protocol/mod.ts";
import type { ClientEvents } from "./client_events.ts";
import {
  ConnectionClosedError,
  SendBufferFullError,
  SessionEndedError,
} from "./errors.ts";
import {
  backoffMs,
  type ResolvedReconnectOptions,
} from "./reconnect_options.ts";
import type { CloseInfo } from "./tcp_connection.ts";

/** One connection as the client uses it, whatever opened it. */
export interface LineLink {
  readonly closed: Promise<CloseInfo>;
  readonly isClosed: boolean;
  readonly pendingBytes: number;
  /** Queues whole lines; resolves once handed to the network. */
  write(bytes: Uint8Array): Promise<void>;
  /** Ends the conversation cleanly (bounded in time). */
  close(): Promise<CloseInfo>;
  /** Cuts at once, without a goodbye; `close()` where absent. */
  abort?(): void;
}

/** Opens one connection that hands its lines to `onLine`, asking `ready` before each read. */
export type LinkOpener = (parts: {
  onLine(line: Uint8Array): void;
  ready(): Promise<void> | undefined;
}) => Promise<LineLink>;

/** What the client gives its resuming connection. */
export interface ResumeHooks {
  /** Every line that is not a `7:` line (copied by the callee if kept). */
  onLine(line: Uint8Array): void;
  /** Asked before each read; a promise pauses reading until it settles. */
  ready(): Promise<void> | undefined;
  readonly events: ClientEvents;
  /** Whether to get back after a drop: a session to resume or to replace. */
  wantsBack(): boolean;
  /** The current session's id, for events. */
  sessionId(): number | null;
  /** The connection dropped (before trying to get back). */
  dropped(): void;
  /**
   * The session resumed; the new UDP secret, if the server gave one. The
   * `resumed` event follows once it settles (the UDP channel open again).
   */
  resumed(udpSecret: string | null): Promise<void>;
  /** The session could not be resumed: log in afresh (on the new connection). */
  relogin(): Promise<void>;
}

/** Lines, bytes and time after which we acknowledge the server's lines. */
const ACK_EVERY_LINES = 32;
const ACK_EVERY_BYTES = 16 * 1024;
const ACK_DELAY_MS = 250;
/** The most one re-send write hands the connection. */
const REPLAY_SLICE_BYTES = 64 * 1024;

type Outcome =
  | ResumeServerMessage & { readonly kind: "resumable" }
  | { readonly kind: "refused"; readonly text: string }
  | { readonly kind: "closed" };

const nothing = () => {};
const utf8 = new TextDecoder();

/** A connection that comes back after drops, resuming its session. */
export class ResumingConnection {
  readonly #open: LinkOpener;
  readonly #options: ResolvedReconnectOptions;
  readonly #hooks: ResumeHooks;
  readonly #requestTimeoutMs: number;
  #link: LineLink | null = null;
  /** Lines from connections of older generations are ignored. */
  #gen = 0;
  #state: "up" | "down" | "closed" = "up";
  #closing = false;
  #looping = false;
  readonly #final = Promise.withResolvers<CloseInfo>();
  /** Our lines are numbered and kept (from our `7:` on). */
  #counting = false;
  #log = new LineLog();
  /** The resumable session: its id and current token. */
  #session: { id: number; token: string } | null = null;
  /** The server's lines counted since the answer to our `7:`. */
  #received = 0;
  #ackSent = 0;
  #bytesSinceAck = 0;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  #enabling: PromiseWithResolvers<boolean> | null = null;
  /**
   * Our lines are being sent again: in slices that may end inside a line,
   * so nothing else (an acknowledgement) may be written in between.
   */
  #resending = false;
  #attempt: PromiseWithResolvers<Outcome> | null = null;
  /** Writes made while down wait for this: resolved on resume. */
  #back: PromiseWithResolvers<void> | null = null;
  /** Our lines waiting for the log to have room (acknowledgements). */
  readonly #waiting: {
    readonly frame: Uint8Array;
    resolve(): void;
    reject(error: Error): void;
  }[] = [];
  #waitingBytes = 0;
  readonly #maxWaitingBytes: number;
  #downSince = 0;
  #holdDownUntil = 0;
  /** The drop was asked for (dropConnection): the transport's error is ours. */
  #dropping = false;
  #wake: (() => void) | null = null;
  #lastIn = performance.now();
  #lastOut = performance.now();
  #paused = false;
  readonly #heartbeat: ReturnType<typeof setInterval>;

  private constructor(
    open: LinkOpener,
    options: ResolvedReconnectOptions,
    hooks: ResumeHooks,
    limits: {
      readonly requestTimeoutMs: number;
      readonly maxPendingBytes: number;
    },
  ) {
    this.#open = open;
    this.#options = options;
    this.#hooks = hooks;
    this.#requestTimeoutMs = limits.requestTimeoutMs;
    this.#maxWaitingBytes = limits.maxPendingBytes;
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
    limits: {
      readonly requestTimeoutMs: number;
      readonly maxPendingBytes: number;
    },
  ): Promise<ResumingConnection> {
    const rc = new ResumingConnection(open, options, hooks, limits);
    try {
      rc.#adopt(await rc.#connect());
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
    return this.#closing || this.#state === "closed";
  }

  /** True while a connection is up (false while reconnecting). */
  get connected(): boolean {
    return this.#state === "up";
  }

  /** True while the session can be resumed after a drop. */
  get resumable(): boolean {
    return this.#session !== null;
  }

  /** Bytes written and not yet handed to the network. */
  get pendingBytes(): number {
    return this.#link?.pendingBytes ?? 0;
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
    const kept = this.#counting && countsForResume(frame);
    if (!kept) return this.#send(frame, false);
    const limit = this.#options.maxResendBytes;
    if (frame.length > limit) {
      return Promise.reject(new SendBufferFullError(limit));
    }
    if (this.#waiting.length > 0 || this.#log.bytes + frame.length > limit) {
      // As much is unacknowledged as we keep: wait for acknowledgements.
      if (this.#waitingBytes + frame.length > this.#maxWaitingBytes) {
        return Promise.reject(new SendBufferFullError(this.#maxWaitingBytes));
      }
      this.#waitingBytes += frame.length;
      return new Promise((resolve, reject) => {
        this.#waiting.push({ frame, resolve, reject });
      });
    }
    return this.#send(frame, true);
  }

  /** Sends the lines waiting for room in the log, as far as it has room. */
  #drain(): void {
    const limit = this.#options.maxResendBytes;
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0]!;
      if (this.#counting && this.#log.bytes + next.frame.length > limit) return;
      this.#waiting.shift();
      this.#waitingBytes -= next.frame.length;
      this.#send(next.frame, this.#counting).then(next.resolve, next.reject);
    }
  }

  #failWaiting(error: Error): void {
    const waiting = this.#waiting.splice(0);
    this.#waitingBytes = 0;
    for (const w of waiting) w.reject(error);
  }

  #send(frame: Uint8Array, kept: boolean): Promise<void> {
    if (kept) this.#log.append(frame);
    const link = this.#link;
    if (this.#state === "up" && link !== null) {
      this.#lastOut = performance.now();
      const written = link.write(frame);
      return kept
        ? written.catch((error) =>
          this.#session !== null ? this.#waitBack() : Promise.reject(error)
        )
        : written;
    }
    if (kept && this.#session !== null) return this.#waitBack();
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
    const link = this.#link;
    if (this.#session !== null) return true;
    if (link === null || this.#state !== "up") return false;
    this.#counting = true;
    this.#log = new LineLog();
    const enabling = this.#enabling = Promise.withResolvers<boolean>();
    link.write(encodeResumeLine({ kind: "resume-on" })).catch(() =>
      enabling.resolve(false)
    );
    const timer = setTimeout(
      () => enabling.resolve(false),
      this.#requestTimeoutMs,
    );
    const ok = await enabling.promise;
    clearTimeout(timer);
    if (this.#enabling === enabling) this.#enabling = null;
    if (!ok && this.#session === null) {
      this.#counting = false;
      this.#log = new LineLog();
      this.#drain();
    }
    return this.#session !== null;
  }

  /**
   * The session changed (a new login, or the server ended it): whatever
   * resume state there was belongs to the old one.
   */
  sessionChanged(): void {
    this.#session = null;
    this.#counting = false;
    this.#log = new LineLog();
    this.#received = 0;
    this.#enabling?.resolve(false);
    this.#drain();
  }

  /**
   * Cuts the connection as a network failure would, then gets back as after
   * any drop; `downMs` keeps it down that long first. Nothing happens when
   * it is down already.
   */
  dropConnection(downMs = 0): void {
    const link = this.#link;
    if (this.#state !== "up" || link === null) return;
    this.#holdDownUntil = performance.now() + downMs;
    this.#dropping = true;
    this.#cut(link);
  }

  /**
   * Ends the session and the connection: turns resume off (`7:-1`, so the
   * server ends the session at once rather than holding it), writes what is
   * queued and closes. While disconnected, what waits to be sent is dropped.
   */
  async close(): Promise<CloseInfo> {
    if (this.#state === "closed" || this.#closing) return await this.closed;
    this.#closing = true;
    this.#wake?.();
    this.#attempt?.resolve({ kind: "closed" });
    this.#failBack(new ConnectionClosedError("closed"));
    const link = this.#link;
    let info: CloseInfo = { byClient: true };
    if (link !== null && this.#state === "up") {
      if (this.#session !== null) {
        link.write(encodeResumeLine({ kind: "resume-off" })).catch(nothing);
      }
      info = await link.close();
    } else if (link !== null) {
      this.#cut(link);
    }
    this.#finish({ ...info, byClient: true });
    return info;
  }

  // --- connections -----------------------------------------------------------

  #connect(): Promise<LineLink> {
    const gen = ++this.#gen;
    return this.#open({
      onLine: (line) => {
        if (gen === this.#gen) this.#line(line);
      },
      ready: this.#ready,
    });
  }

  /** Makes `link` the current connection and watches for its end. */
  #adopt(link: LineLink): void {
    const gen = this.#gen;
    this.#link = link;
    this.#lastIn = this.#lastOut = performance.now();
    link.closed.then((info) => {
      if (gen === this.#gen && !this.#closing) this.#dropped(info);
    });
  }

  #cut(link: LineLink): void {
    if (link.abort === undefined) void link.close();
    else link.abort();
  }

  #ready = (): Promise<void> | undefined => {
    const waiting = this.#hooks.ready();
    if (waiting === undefined) return undefined;
    this.#paused = true;
    return waiting.then(() => {
      this.#paused = false;
      this.#lastIn = performance.now();
    });
  };

  #dropped(info: CloseInfo): void {
    if (this.#state === "closed") return;
    const wasUp = this.#state === "up";
    this.#link = null;
    this.#gen++;
    this.#state = "down";
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    this.#enabling?.resolve(false);
    // A connection the loop opened dropped before it was up: the loop goes on.
    if (!wasUp) return;
    if (!this.#hooks.wantsBack()) {
      this.#finish(info);
      return;
    }
    this.#downSince = performance.now();
    this.#hooks.dropped();
    this.#hooks.events.emit("disconnected", {
      error: this.#dropping ? undefined : info.error,
      resumable: this.#session !== null,
    });
    this.#dropping = false;
    // While the loop is still finishing (after `resumed`), it goes on itself.
    if (!this.#looping) void this.#getBack();
  }

  /** Tries connections, with backoff, until resumed, replaced or given up. */
  async #getBack(): Promise<void> {
    this.#looping = true;
    let replaced = false;
    try {
      replaced = await this.#tryConnections();
    } finally {
      this.#looping = false;
    }
    if (this.#state === "down" && !this.#closing) {
      // Dropped again once back, before the loop was over: go on.
      return this.#getBack();
    }
    // Outside the loop: a drop during the new login starts another one.
    if (replaced) await this.#hooks.relogin();
  }

  /** True when the session was lost and the client must log in afresh. */
  async #tryConnections(): Promise<boolean> {
    for (let attempt = 0; !this.#closing; attempt++) {
      if (performance.now() - this.#downSince > this.#options.giveUpAfterMs) {
        this.#giveUp();
        return false;
      }
      await this.#sleep(Math.max(
        backoffMs(this.#options, attempt, Math.random()),
        this.#holdDownUntil - performance.now(),
      ));
      if (this.#closing) return false;
      let link: LineLink;
      try {
        link = await this.#connect();
      } catch {
        continue;
      }
      if (this.#closing) {
        this.#cut(link);
        return false;
      }
      let refusal = {
        code: "not-resumable",
        text: "the session was not resumable",
      };
      if (this.#session !== null) {
        const outcome = await this.#resumeOn(link);
        if (outcome.kind === "closed") continue;
        if (outcome.kind === "resumable") {
          const resent = this.#log.last - outcome.count;
          if (!await this.#resend(link, outcome.count)) continue;
          await this.#up(outcome, resent, attempt + 1);
          return false;
        }
        refusal = {
          code: "resume-refused",
          text: outcome.text.replace(/^9:7:[^:]*:/, ""),
        };
      }
      this.#replace(link, refusal);
      return true;
    }
    return false;
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /** Presents our token and count on `link`; resolves with the answer. */
  #resumeOn(link: LineLink): Promise<Outcome> {
    const session = this.#session!;
    const attempt = this.#attempt = Promise.withResolvers<Outcome>();
    this.#adopt(link);
    link.closed.then(() => attempt.resolve({ kind: "closed" }));
    const timer = setTimeout(() => {
      attempt.resolve({ kind: "closed" });
      this.#cut(link);
    }, this.#options.deadAfterMs);
    link.write(encodeResumeLine({
      kind: "resume",
      id: session.id,
      token: session.token,
      count: this.#received,
    })).catch(nothing);
    return attempt.promise.finally(() => {
      clearTimeout(timer);
      if (this.#attempt === attempt) this.#attempt = null;
    });
  }

  /** Sends again every line of ours after `count`, then those written meanwhile. */
  async #resend(link: LineLink, count: number): Promise<boolean> {
    this.#resending = true;
    try {
      return await this.#resendAll(link, count);
    } finally {
      this.#resending = false;
      if (this.#received > this.#ackSent) this.#ack();
    }
  }

  async #resendAll(link: LineLink, count: number): Promise<boolean> {
    let sent = count;
    while (sent < this.#log.last) {
      const end = this.#log.last;
      const runs: Uint8Array[] = [];
      this.#log.replayAfter(sent, (bytes) => runs.push(bytes));
      for (const run of runs) {
        for (let i = 0; i < run.length; i += REPLAY_SLICE_BYTES) {
          try {
            await link.write(run.subarray(i, i + REPLAY_SLICE_BYTES));
          } catch {
            return false;
          }
        }
      }
      sent = end;
    }
    return !link.isClosed;
  }

  async #up(
    answer: { readonly udpSecret?: string },
    resent: number,
    attempts: number,
  ): Promise<void> {
    this.#state = "up";
    this.#lastOut = performance.now();
    const back = this.#back;
    this.#back = null;
    back?.resolve();
    const downtimeMs = Math.round(performance.now() - this.#downSince);
    await this.#hooks.resumed(answer.udpSecret ?? null);
    this.#hooks.events.emit("resumed", {
      sessionId: this.#session!.id,
      downtimeMs,
      resent,
      attempts,
    });
  }

  /** The session is lost: the client is to log in afresh on `link`. */
  #replace(
    link: LineLink,
    why: { readonly code: string; readonly text: string },
  ): void {
    const sessionId = this.#hooks.sessionId();
    this.#session = null;
    this.#counting = false;
    this.#log = new LineLog();
    this.#received = 0;
    if (this.#link !== link) this.#adopt(link);
    this.#state = "up";
    this.#failBack(new SessionEndedError(why.code, why.text));
    this.#failWaiting(new SessionEndedError(why.code, why.text));
    this.#hooks.events.emit("session-ended", {
      sessionId,
      code: why.code,
      reason: why.text,
      rejoining: true,
    });
  }

  #giveUp(): void {
    const reason = `no connection to the server for ${
      Math.round(performance.now() - this.#downSince)
    } ms`;
    this.#failBack(new SessionEndedError("unreachable", reason));
    this.#failWaiting(new SessionEndedError("unreachable", reason));
    this.#hooks.events.emit("session-ended", {
      sessionId: this.#hooks.sessionId(),
      code: "unreachable",
      reason,
      rejoining: false,
    });
    this.#finish({
      byClient: false,
      error: new ConnectionClosedError(reason),
    });
  }

  #waitBack(): Promise<void> {
    if (this.#back === null) {
      this.#back = Promise.withResolvers<void>();
      // Writers that do not await are not left with an unhandled rejection.
      this.#back.promise.catch(nothing);
    }
    return this.#back.promise;
  }

  #failBack(error: Error): void {
    const back = this.#back;
    this.#back = null;
    back?.reject(error);
  }

  #finish(info: CloseInfo): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#link = null;
    this.#gen++;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#ackTimer);
    this.#wake?.();
    this.#failBack(new ConnectionClosedError());
    this.#failWaiting(new ConnectionClosedError());
    this.#final.resolve(info);
  }

  // --- lines -------------------------------------------------------------------

  #line(line: Uint8Array): void {
    this.#lastIn = performance.now();
    if (line[0] === RESUME_BYTE) return this.#control(line);
    const refusal = line[0] === 0x39 && line[1] === 0x3a && line[2] === 0x37 &&
      line[3] === 0x3a;
    if (this.#attempt !== null) {
      // Before the answer to a resume only its refusal comes (9:7:…).
      if (refusal) {
        this.#attempt.resolve({ kind: "refused", text: utf8.decode(line) });
      }
      return this.#hooks.onLine(line);
    }
    if (refusal && this.#enabling !== null && this.#session === null) {
      this.#enabling.resolve(false); // a server that knows no resume
    }
    if (this.#session !== null) this.#count(line.length);
    this.#hooks.onLine(line);
  }

  #count(length: number): void {
    this.#received++;
    this.#bytesSinceAck += length + 1;
    if (
      this.#received - this.#ackSent >= ACK_EVERY_LINES ||
      this.#bytesSinceAck >= ACK_EVERY_BYTES
    ) {
      this.#ack();
    } else {
      this.#ackTimer ??= setTimeout(this.#ack, ACK_DELAY_MS);
    }
  }

  #ack = (): void => {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    const link = this.#link;
    if (
      link === null || this.#session === null || this.#attempt !== null ||
      this.#resending
    ) {
      return;
    }
    this.#ackSent = this.#received;
    this.#bytesSinceAck = 0;
    this.#lastOut = performance.now();
    link.write(encodeResumeLine({ kind: "ack", count: this.#received }))
      .catch(nothing);
  };

  #control(line: Uint8Array): void {
    const msg = decodeResumeServerLine(line);
    if (msg === null) return;
    switch (msg.kind) {
      case "ack":
        // A count we never sent would be the server's bug: keep our lines.
        if (msg.count >= this.#log.acked && msg.count <= this.#log.last) {
          this.#log.ackTo(msg.count);
          this.#drain();
        }
        return;
      case "resume-off":
        this.#session = null;
        this.#counting = false;
        this.#log = new LineLog();
        this.#enabling?.resolve(false);
        this.#drain();
        return;
      case "resumable":
        return this.#resumable(msg);
    }
  }

  #resumable(msg: ResumeServerMessage & { readonly kind: "resumable" }): void {
    const attempt = this.#attempt;
    if (attempt !== null) {
      this.#attempt = null;
      const log = this.#log;
      if (
        msg.id !== this.#session?.id || msg.count < log.acked ||
        msg.count > log.last
      ) {
        attempt.resolve({
          kind: "refused",
          text:
            `the server's answer (${msg.count} of our lines) does not match ours`,
        });
        return;
      }
      // Synchronously: the replayed lines right behind the answer count.
      log.ackTo(msg.count);
      this.#drain();
      this.#session.token = msg.token;
      this.#ackSent = this.#received;
      attempt.resolve(msg);
      return;
    }
    if (this.#enabling !== null) {
      this.#session = { id: msg.id, token: msg.token };
      this.#received = 0;
      this.#ackSent = 0;
      this.#bytesSinceAck = 0;
      this.#enabling.resolve(true);
      return;
    }
    if (this.#session !== null) this.#session.token = msg.token;
  }

  /** The heartbeat: an acknowledgement when idle; a silent connection is cut. */
  #beat = (): void => {
    const link = this.#link;
    if (
      link === null || this.#state !== "up" || this.#session === null ||
      this.#attempt !== null
    ) {
      return;
    }
    const now = performance.now();
    if (!this.#paused && now - this.#lastIn >= this.#options.deadAfterMs) {
      this.#cut(link);
      return;
    }
    if (now - this.#lastOut >= this.#options.heartbeatMs) this.#ack();
  };
}
