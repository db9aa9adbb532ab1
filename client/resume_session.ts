/**
 * The resume side of a client's session: asking for it (`7:`), the
 * session's id and current token, presenting them on a new connection
 * (`7:<id>:<token>:<n>`) and reading the server's `7:` lines — its
 * acknowledgements, its answers, its turning resume off.
 *
 * @example
 * ```ts ignore
 * import { ResumeSession } from "./resume_session.ts";
 * const resume = new ResumeSession(kept, acks, { requestTimeoutMs: 5_000, deadAfterMs: 15_000 });
 * await resume.enable(link);
 * ```
 * @module
 */
import {
  decodeResumeServerLine,
  encodeResumeLine,
  type ResumeServerMessage,
} from "../protocol/mod.ts";
import type { CurrentLink } from "./current_link.ts";
import type { AckCounter } from "../protocol/ack_counter.ts";
import type { LineLink } from "./line_link.ts";
import type { ResendLog } from "./resend_log.ts";

/** How a resume attempt on a new connection ended. */
export type Outcome =
  | ResumeServerMessage & { readonly kind: "resumable" }
  | { readonly kind: "refused"; readonly text: string }
  | { readonly kind: "closed" };

/** How long `7:` may wait for its answer, and a resume for its own. */
export interface ResumeTimes {
  readonly requestTimeoutMs: number;
  readonly deadAfterMs: number;
}

const nothing = () => {};
const utf8 = new TextDecoder();

/** Whether the session is resumable, and the talk with the server about it. */
export class ResumeSession {
  readonly #kept: ResendLog;
  readonly #acks: AckCounter;
  readonly #times: ResumeTimes;
  /** The resumable session: its id and current token. */
  #session: { id: number; token: string } | null = null;
  #enabling: PromiseWithResolvers<boolean> | null = null;
  #attempt: PromiseWithResolvers<Outcome> | null = null;

  /** Our lines are kept in `kept`; the server's are counted in `acks`. */
  constructor(kept: ResendLog, acks: AckCounter, times: ResumeTimes) {
    this.#kept = kept;
    this.#acks = acks;
    this.#times = times;
  }

  /** True while the session can be resumed after a drop. */
  get resumable(): boolean {
    return this.#session !== null;
  }

  /** The resumable session (its id), or null. */
  get session(): { readonly id: number } | null {
    return this.#session;
  }

  /** True while a resume waits for its answer. */
  get attempting(): boolean {
    return this.#attempt !== null;
  }

  /**
   * Asks the server on `link` to make the session resumable (`7:`);
   * resolves true once it is. False when the server does not know resume,
   * or the connection dropped first.
   */
  async enable(link: LineLink): Promise<boolean> {
    this.#kept.start();
    const enabling = this.#enabling = Promise.withResolvers<boolean>();
    link.write(encodeResumeLine({ kind: "resume-on" })).catch(() =>
      enabling.resolve(false)
    );
    const timer = setTimeout(
      () => enabling.resolve(false),
      this.#times.requestTimeoutMs,
    );
    const ok = await enabling.promise;
    clearTimeout(timer);
    if (this.#enabling === enabling) this.#enabling = null;
    if (!ok && this.#session === null) {
      this.#kept.stop();
      this.#kept.drain();
    }
    return this.#session !== null;
  }

  /**
   * The session changed (a new login, or the server ended it): whatever
   * resume state there was belongs to the old one.
   */
  changed(): void {
    this.lost();
    this.#enabling?.resolve(false);
    this.#kept.drain();
  }

  /** The session can no longer be resumed: its kept lines and count go. */
  lost(): void {
    this.#session = null;
    this.#kept.stop();
    this.#acks.reset();
  }

  /** The connection dropped: an enabling `7:` gets no answer. */
  dropped(): void {
    this.#enabling?.resolve(false);
  }

  /** Closing: a resume waiting for its answer ends as closed. */
  cancel(): void {
    this.#attempt?.resolve({ kind: "closed" });
  }

  /**
   * Presents our token and count on `link` (adopted as current); resolves
   * with the answer, or closed when none comes in time.
   */
  attempt(link: LineLink, links: CurrentLink): Promise<Outcome> {
    const session = this.#session!;
    const attempt = this.#attempt = Promise.withResolvers<Outcome>();
    links.adopt(link);
    link.closed.then(() => attempt.resolve({ kind: "closed" }));
    const timer = setTimeout(() => {
      attempt.resolve({ kind: "closed" });
      links.cut(link);
    }, this.#times.deadAfterMs);
    link.write(encodeResumeLine({
      kind: "resume",
      id: session.id,
      token: session.token,
      count: this.#acks.received,
    })).catch(nothing);
    return attempt.promise.finally(() => {
      clearTimeout(timer);
      if (this.#attempt === attempt) this.#attempt = null;
    });
  }

  /** A line of the server's that is not a `7:` line, before the client gets it. */
  screen(line: Uint8Array): void {
    const refusal = line[0] === 0x39 && line[1] === 0x3a && line[2] === 0x37 &&
      line[3] === 0x3a;
    if (this.#attempt !== null) {
      // Before the answer to a resume only its refusal comes (9:7:…).
      if (refusal) {
        this.#attempt.resolve({ kind: "refused", text: utf8.decode(line) });
      }
      return;
    }
    if (refusal && this.#enabling !== null && this.#session === null) {
      this.#enabling.resolve(false); // a server that knows no resume
    }
    if (this.#session !== null) this.#acks.count(line.length);
  }

  /** A `7:` line from the server. */
  control(line: Uint8Array): void {
    const msg = decodeResumeServerLine(line);
    if (msg === null) return;
    switch (msg.kind) {
      case "ack":
        this.#kept.acked(msg.count);
        return;
      case "resume-off":
        this.#session = null;
        this.#kept.stop();
        this.#enabling?.resolve(false);
        this.#kept.drain();
        return;
      case "resumable":
        return this.#resumable(msg);
    }
  }

  #resumable(msg: ResumeServerMessage & { readonly kind: "resumable" }): void {
    const attempt = this.#attempt;
    if (attempt !== null) {
      this.#attempt = null;
      if (msg.id !== this.#session?.id || !this.#kept.holds(msg.count)) {
        attempt.resolve({
          kind: "refused",
          text:
            `the server's answer (${msg.count} of our lines) does not match ours`,
        });
        return;
      }
      // Synchronously: the replayed lines right behind the answer count.
      this.#kept.acked(msg.count);
      this.#session.token = msg.token;
      this.#acks.caughtUp();
      attempt.resolve(msg);
      return;
    }
    if (this.#enabling !== null) {
      this.#session = { id: msg.id, token: msg.token };
      this.#acks.reset();
      this.#enabling.resolve(true);
      return;
    }
    if (this.#session !== null) this.#session.token = msg.token;
  }
}
