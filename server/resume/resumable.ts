/**
 * One resumable session's side of resume: it becomes the session's link, so
 * every line sent to the session is numbered and kept (a copy, in a
 * {@linkcode LineLog}) until the client acknowledges it, and goes on to the
 * connection when there is one. It counts the client's lines, acknowledges
 * them, holds the session when its connection drops (the session stays in
 * its room and groups; lines go to the log only), and moves it to a new
 * connection on resume.
 *
 * While connected, the log holds what is in flight; back-pressure treats it
 * as the client's queue (its senders wait while more than the high-water mark
 * is unacknowledged). While away, the log is the session's queue: it holds
 * nobody back (there is no socket to wait for), it counts in the server's
 * outbound budget, and past `resumeBufferBytes` — or once the window has
 * passed — the session ends as any session does.
 *
 * @example
 * ```ts
 * import { Resumable } from "./resumable.ts";
 * console.assert(typeof Resumable === "function");
 * ```
 * @module
 */
import {
  countsForResume,
  encodeResumeLine,
  encodeServerMessage,
} from "../../protocol/mod.ts";
import type { Session, SessionLink } from "../sessions/session.ts";
import { newUdpSecret } from "../udp/udp_secret.ts";
import { AckCounter } from "../../protocol/ack_counter.ts";
import { HOLD_REASONS } from "./hold_reasons.ts";
import { KeptLines } from "./kept_lines.ts";
import type { ResumeAttachment } from "./resume_attachment.ts";
import { ResumeTokens } from "./resume_tokens.ts";
import { loseResume } from "./resume_lost.ts";
import type { ResumeService } from "./resume_service.ts";

export type { ResumeAttachment } from "./resume_attachment.ts";

/** The resume side of one session. */
export class Resumable implements SessionLink {
  readonly session: Session;
  readonly #service: ResumeService;
  #conn: ResumeAttachment | null;
  /** The server's lines to this client, not yet acknowledged. */
  readonly #log: KeptLines;
  /** The client's lines, counted and acknowledged. */
  readonly #acks = new AckCounter({
    // Counted as acknowledged while away too: a resume's answer says it.
    canSend: () => true,
    send: (count) => this.#conn?.send(encodeResumeLine({ kind: "ack", count })),
  });
  readonly #tokens = new ResumeTokens();
  /** When the connection dropped (`performance.now()`); null while connected. */
  #awaySince: number | null = null;
  #windowTimer: ReturnType<typeof setTimeout> | undefined;
  /** The session is ending (window passed, buffer full): it takes no more lines. */
  #ending = false;
  /** `performance.now()` of the client's last acknowledgement. */
  lastAckAt = 0;

  /** Makes `session` (on `conn`) resumable. */
  constructor(
    service: ResumeService,
    session: Session,
    conn: ResumeAttachment,
  ) {
    this.#service = service;
    this.session = session;
    this.#conn = conn;
    this.#log = new KeptLines((bytes) => service.counted(bytes));
  }

  /** The `7:<id>:<n>:<token>` line for the client, with the UDP secret when given. */
  reply(udpSecret?: string): Uint8Array {
    return encodeResumeLine({
      kind: "resumable",
      id: this.session.id,
      count: this.#acks.received,
      token: this.#tokens.current,
      udpSecret,
    });
  }

  /** Whether the session is held, waiting for its client. */
  get away(): boolean {
    return this.#awaySince !== null;
  }

  /** Since when it is away (`performance.now()`); null while connected. */
  get awaySince(): number | null {
    return this.#awaySince;
  }

  /** Whether the session is ending and can no longer be resumed. */
  get ending(): boolean {
    return this.#ending;
  }

  /** Bytes of the server's lines not yet acknowledged. */
  get unackedBytes(): number {
    return this.#log.bytes;
  }

  /** The log's numbering: acknowledged up to `acked`, sent up to `last`. */
  get sent(): { readonly acked: number; readonly last: number } {
    return { acked: this.#log.acked, last: this.#log.last };
  }

  /** The client's lines handled so far. */
  get received(): number {
    return this.#acks.received;
  }

  // --- SessionLink ---------------------------------------------------------

  send(frame: Uint8Array): void {
    if (this.#ending) return;
    if (countsForResume(frame)) {
      const limit = this.#service.limits.resumeBufferBytes;
      if (this.#log.bytes + frame.length > limit) {
        if (this.#conn === null) {
          this.#service.expire(this, "resume buffer full");
          return;
        }
        this.#conn.send(frame);
        loseResume(this.#service, this, this.#conn, limit);
        return;
      }
      this.#log.append(frame);
    }
    this.#conn?.send(frame);
  }

  close(reason: string): void {
    this.#conn?.close(reason);
  }

  get remoteAddress(): string | undefined {
    return this.#conn?.remoteAddress;
  }

  /** `address:port` of the connection it is on now; undefined while away. */
  get remote(): string | undefined {
    return this.#conn?.remote;
  }

  /** The traffic of the connection it is on now (admin status). */
  get traffic(): SessionLink["traffic"] {
    return this.#conn?.traffic;
  }

  /** Whether the connection it is on now is encrypted (TLS, WSS). */
  get encrypted(): boolean | undefined {
    return this.#conn?.encrypted;
  }

  /**
   * What is queued for the client, for lossy sends: everything not yet
   * acknowledged; while away, without bound (lossy messages are skipped).
   */
  get pendingBytes(): number {
    const conn = this.#conn;
    if (conn === null) return Infinity;
    return Math.max(conn.pendingBytes ?? 0, this.#log.bytes);
  }

  // --- the client's lines and acknowledgements -----------------------------

  /** Any line arrived on the attached connection (called before it is handled). */
  lineIn(line: Uint8Array): void {
    // The client sends only after the answer to its resume: it has the new token.
    this.#tokens.confirmed();
    if (!countsForResume(line)) return;
    this.#acks.count(line.length);
  }

  /**
   * The client has `count` of our lines: they are dropped from the log, and
   * the client gets our count back. False when `count` is outside what was
   * sent and not yet acknowledged (nothing changes).
   */
  acked(count: number): boolean {
    const { acked, last } = this.sent;
    if (!Number.isSafeInteger(count) || count < acked || count > last) {
      return false;
    }
    this.#log.trim(count);
    this.lastAckAt = performance.now();
    this.#conn?.acknowledged?.();
    this.#acks.flush();
    return true;
  }

  // --- tokens ----------------------------------------------------------------

  /** Whether `token` resumes this session (the current one, or the fallback). */
  tokenMatches(token: string): boolean {
    return this.#tokens.matches(token);
  }

  // --- drops and resumes -----------------------------------------------------

  /**
   * `conn` is ending its session for `reason`. Returns true when the session
   * is held instead (the caller then forgets it), false when it must end.
   */
  detach(conn: ResumeAttachment, reason: string): boolean {
    if (
      !this.session.active || this.#ending || conn !== this.#conn ||
      !HOLD_REASONS.has(reason)
    ) {
      return false;
    }
    this.#conn = null;
    this.#acks.stop();
    this.#awaySince = performance.now();
    // The channel and its secret belong to the connection that dropped; a
    // resume brings a new secret and a new handshake.
    this.session.udp?.close();
    this.session.udpSecret = null;
    this.#windowTimer = setTimeout(
      () => this.#service.expire(this, "resume window"),
      this.#service.limits.resumeWindowMs,
    );
    this.#service.held(this, true);
    this.session.room?.fanOut(
      encodeServerMessage({ kind: "away", id: this.session.id }),
      this.session,
    );
    return true;
  }

  /**
   * Moves the session to `conn`, whose client presented `token` and has
   * `count` of our lines (checked by the caller): the old connection, if any,
   * is closed; the client gets `7:<id>:<n>:<token>[:<secret>]`, then every
   * line after `count`; the room is told it is back.
   */
  resume(conn: ResumeAttachment, token: string, count: number): number {
    const session = this.session;
    const old = this.#conn;
    if (old !== null) {
      old.session = null;
      this.#conn = null;
      old.close("resumed on another connection");
    }
    const wasAway = this.#awaySince !== null;
    this.#awaySince = null;
    clearTimeout(this.#windowTimer);
    this.#windowTimer = undefined;
    this.#service.held(this, false);
    this.#log.trim(count);
    this.#tokens.rotate(token);
    session.udp?.close();
    session.udpSecret = this.#service.udp ? newUdpSecret() : null;
    this.#conn = conn;
    conn.session = session;
    conn.send(this.reply(session.udpSecret ?? undefined));
    this.#acks.caughtUp();
    const replayed = this.#log.last - count;
    this.#log.replayAfter(count, (bytes) => conn.send(bytes));
    if (wasAway) {
      session.room?.fanOut(
        encodeServerMessage({ kind: "back", id: session.id }),
        session,
      );
    }
    return replayed;
  }

  /**
   * Resume is turned off (asked, or lost): the log is dropped and the
   * session's link is the connection again. Returns that connection.
   */
  off(): ResumeAttachment | null {
    this.#acks.stop();
    this.#log.drop();
    const conn = this.#conn;
    if (conn !== null) this.session.link = conn;
    this.session.resume = null;
    return conn;
  }

  /**
   * The session will end: it takes no more lines and its log is freed now
   * (the outbound budget counts on it), and it can no longer be resumed.
   */
  abandon(): void {
    this.#ending = true;
    this.#log.drop();
  }

  /** The session has ended (by any path): timers and log go. */
  ended(): void {
    this.#ending = true;
    this.#acks.stop();
    clearTimeout(this.#windowTimer);
    this.#windowTimer = undefined;
    this.#log.drop();
    this.#service.held(this, false);
  }
}
