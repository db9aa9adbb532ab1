/**
 * A resuming client getting back after a drop: backoff with jitter, a new
 * connection, then a resume (our lines the server lacks sent again before
 * anything new), or — when the session cannot be resumed — a fresh login on
 * that connection; after `giveUpAfterMs` without a connection, the end.
 *
 * @example
 * ```ts ignore
 * import { Reconnector } from "./reconnector.ts";
 * // ResumingConnection builds one; each drop of its connection calls dropped().
 * ```
 * @module
 */
import { ConnectionClosedError, SessionEndedError } from "./errors.ts";
import type { BackSignal } from "./back_signal.ts";
import type { CurrentLink } from "./current_link.ts";
import type { AckCounter } from "../protocol/ack_counter.ts";
import type { LineLink } from "./line_link.ts";
import {
  backoffMs,
  type ResolvedReconnectOptions,
} from "./reconnect_options.ts";
import type { ResendLog } from "./resend_log.ts";
import type { ResumeHooks } from "./resume_hooks.ts";
import type { ResumeSession } from "./resume_session.ts";
import type { CloseInfo } from "./tcp_connection.ts";

/** The parts of a resuming connection the way back acts on. */
export interface ReconnectParts {
  readonly links: CurrentLink;
  readonly resume: ResumeSession;
  readonly kept: ResendLog;
  readonly acks: AckCounter;
  readonly back: BackSignal;
  readonly hooks: ResumeHooks;
  readonly options: ResolvedReconnectOptions;
  /** The client is done: closed, or given up. */
  finish(info: CloseInfo): void;
}

/** How one try on a new connection went. */
type Tried = "retry" | "resumed" | "replaced";

/** What happens after each drop, until back, replaced or given up. */
export class Reconnector {
  readonly #parts: ReconnectParts;
  #looping = false;
  #downSince = 0;
  #holdDownUntil = 0;
  /** The drop was asked for (dropConnection): the transport's error is ours. */
  #dropping = false;
  #wake: (() => void) | null = null;

  /** The way back of the connection made of `parts`. */
  constructor(parts: ReconnectParts) {
    this.#parts = parts;
  }

  /** The next drop is asked for; stay down `downMs` first. */
  holdDown(downMs: number): void {
    this.#holdDownUntil = performance.now() + downMs;
    this.#dropping = true;
  }

  /** Ends the wait before the next try (closing). */
  wake(): void {
    this.#wake?.();
  }

  /** The current connection ended with `info`. */
  dropped(info: CloseInfo): void {
    const { links, acks, resume, hooks } = this.#parts;
    if (links.state === "closed") return;
    const wasUp = links.state === "up";
    links.retire();
    links.state = "down";
    acks.stop();
    resume.dropped();
    // A connection the loop opened dropped before it was up: the loop goes on.
    if (!wasUp) return;
    if (!hooks.wantsBack()) {
      this.#parts.finish(info);
      return;
    }
    this.#downSince = performance.now();
    hooks.dropped();
    hooks.events.emit("disconnected", {
      error: this.#dropping ? undefined : info.error,
      resumable: resume.resumable,
    });
    this.#dropping = false;
    // While the loop is still finishing (after `resumed`), it goes on itself.
    if (!this.#looping) this.#startBack();
  }

  /**
   * Runs the way back; should it fail unexpectedly (a listener of ours that
   * throws, the session ending under a resume), the client ends with that
   * error rather than leaving a rejection nobody handles.
   */
  #startBack(): void {
    this.#getBack().catch((error) => {
      this.#parts.finish({
        byClient: false,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    });
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
    const links = this.#parts.links;
    if (links.state === "down" && !links.closing) {
      // Dropped again once back, before the loop was over: go on.
      return this.#getBack();
    }
    // Outside the loop: a drop during the new login starts another one.
    if (replaced) await this.#parts.hooks.relogin();
  }

  /** True when the session was lost and the client must log in afresh. */
  async #tryConnections(): Promise<boolean> {
    const { links, options } = this.#parts;
    for (let attempt = 0; !links.closing; attempt++) {
      if (performance.now() - this.#downSince > options.giveUpAfterMs) {
        this.#giveUp();
        return false;
      }
      await this.#sleep(Math.max(
        backoffMs(options, attempt, Math.random()),
        this.#holdDownUntil - performance.now(),
      ));
      if (links.closing) return false;
      let link: LineLink;
      try {
        link = await links.connect();
      } catch {
        continue;
      }
      if (links.closing) {
        links.cut(link);
        return false;
      }
      const tried = await this.#tryOn(link, attempt + 1);
      if (tried === "retry") continue;
      return tried === "replaced";
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

  /** Resumes on `link`, or replaces the session there when it cannot be. */
  async #tryOn(link: LineLink, attempts: number): Promise<Tried> {
    const { resume, kept, links } = this.#parts;
    let refusal = {
      code: "not-resumable",
      text: "the session was not resumable",
    };
    if (resume.resumable) {
      const outcome = await resume.attempt(link, links);
      if (outcome.kind === "closed") return "retry";
      if (outcome.kind === "resumable") {
        const resent = kept.last - outcome.count;
        if (!await this.#resend(link, outcome.count)) return "retry";
        await this.#up(outcome, resent, attempts);
        return "resumed";
      }
      refusal = {
        code: "resume-refused",
        text: outcome.text.replace(/^9:7:[^:]*:/, ""),
      };
    }
    this.#replace(link, refusal);
    return "replaced";
  }

  /** Sends again every line of ours after `count`, then those written meanwhile. */
  async #resend(link: LineLink, count: number): Promise<boolean> {
    const acks = this.#parts.acks;
    try {
      return await this.#parts.kept.replay(link, count);
    } finally {
      if (acks.behind) acks.flush();
    }
  }

  async #up(
    answer: { readonly udpSecret?: string },
    resent: number,
    attempts: number,
  ): Promise<void> {
    const { links, back, hooks, resume } = this.#parts;
    links.state = "up";
    links.spoke();
    back.resolve();
    const downtimeMs = Math.round(performance.now() - this.#downSince);
    const sessionId = resume.session?.id;
    await hooks.resumed(answer.udpSecret ?? null);
    // The session may have ended while its UDP channel was reopened.
    if (sessionId === undefined || resume.session === null) return;
    hooks.events.emit("resumed", {
      sessionId,
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
    const { links, resume, back, kept, hooks } = this.#parts;
    const sessionId = hooks.sessionId();
    resume.lost();
    if (links.link !== link) links.adopt(link);
    links.state = "up";
    back.fail(new SessionEndedError(why.code, why.text));
    kept.failWaiting(new SessionEndedError(why.code, why.text));
    hooks.events.emit("session-ended", {
      sessionId,
      code: why.code,
      reason: why.text,
      rejoining: true,
    });
  }

  #giveUp(): void {
    const { back, kept, hooks } = this.#parts;
    const reason = `no connection to the server for ${
      Math.round(performance.now() - this.#downSince)
    } ms`;
    back.fail(new SessionEndedError("unreachable", reason));
    kept.failWaiting(new SessionEndedError("unreachable", reason));
    hooks.events.emit("session-ended", {
      sessionId: hooks.sessionId(),
      code: "unreachable",
      reason,
      rejoining: false,
    });
    this.#parts.finish({
      byClient: false,
      error: new ConnectionClosedError(reason),
    });
  }
}
