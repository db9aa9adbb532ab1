/**
 * Resumable sessions on one server: turning resume on and off, the sessions
 * held while their clients are away (their count, their place in the
 * outbound budget, their end when the window passes or the buffer fills),
 * resuming one on a new connection, and ending them all at shutdown.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "../../protocol/mod.ts";
 * import { Flow } from "../connection/flow.ts";
 * import { createLogger } from "../logger.ts";
 * import { LocalRooms } from "../rooms/rooms.ts";
 * import { SessionRegistry } from "../sessions/sessions.ts";
 * import { ResumeService } from "./resume_service.ts";
 * const service = new ResumeService({
 *   limits: DEFAULT_LIMITS,
 *   logger: createLogger({ level: "silent" }),
 *   sessions: new SessionRegistry(new LocalRooms({ maxRooms: 10 })),
 *   flow: new Flow(DEFAULT_LIMITS, () => []),
 *   udp: false,
 * });
 * console.assert(service.heldCount === 0);
 * ```
 * @module
 */
import type { Limits } from "../../protocol/mod.ts";
import type { BudgetMember, Flow } from "../connection/flow.ts";
import type { Logger } from "../logger.ts";
import type { Session } from "../sessions/session.ts";
import type { SessionRegistry } from "../sessions/sessions.ts";
import { Resumable } from "./resumable.ts";
import type { ResumeAttachment } from "./resume_attachment.ts";

/** What the service works with. */
export interface ResumeServiceOptions {
  readonly limits: Limits;
  readonly logger: Logger;
  readonly sessions: SessionRegistry;
  /** The server's flow control: held logs count in its outbound budget. */
  readonly flow: Flow;
  /** Whether sessions get a UDP secret (a new one at each resume). */
  readonly udp: boolean;
}

/** The resumable sessions of one server. */
export class ResumeService {
  readonly limits: Limits;
  readonly logger: Logger;
  readonly udp: boolean;
  readonly #sessions: SessionRegistry;
  readonly #flow: Flow;
  readonly #held = new Map<Resumable, BudgetMember>();

  /** A service for one server. */
  constructor(options: ResumeServiceOptions) {
    this.limits = options.limits;
    this.logger = options.logger;
    this.udp = options.udp;
    this.#sessions = options.sessions;
    this.#flow = options.flow;
  }

  /** Sessions held now, waiting for their clients. */
  get heldCount(): number {
    return this.#held.size;
  }

  /** The held sessions as the outbound budget sees them (stalled since they went away). */
  budgetMembers(): Iterable<BudgetMember> {
    return this.#held.values();
  }

  /** Makes `session`, logged in on `conn`, resumable (if it is not yet). */
  enable(session: Session, conn: ResumeAttachment): Resumable {
    if (session.resume !== null) return session.resume;
    const resumable = new Resumable(this, session, conn);
    session.resume = resumable;
    session.link = resumable;
    this.logger.info("resume.on", { session: session.id });
    return resumable;
  }

  /** Turns resume off for `resumable`'s session; it carries on as any session. */
  disable(resumable: Resumable): void {
    resumable.off();
    this.logger.info("resume.off", { session: resumable.session.id });
  }

  /**
   * Moves `resumable`'s session to `conn` (its client proved `token` and has
   * `count` of its lines).
   */
  resume(
    resumable: Resumable,
    conn: ResumeAttachment,
    token: string,
    count: number,
  ): void {
    const awaySince = resumable.awaySince;
    const { last } = resumable.sent;
    const replayed = resumable.resume(conn, token, count);
    this.logger.info("session.resumed", {
      session: resumable.session.id,
      remote: conn.remote,
      away_ms: awaySince === null
        ? undefined
        : Math.round(performance.now() - awaySince),
      replayed,
      sent: last,
      received: resumable.received,
    });
  }

  /** Called by a resumable with `bytes` more (or fewer) bytes kept. */
  counted(bytes: number): void {
    const flow = this.#flow;
    flow.total.bytes += bytes;
    if (bytes > 0 && flow.overBudget) flow.enforceBudget();
  }

  /** A resumable's session is held (`true`) or no longer held. */
  held(resumable: Resumable, away: boolean): void {
    if (!away) {
      this.#held.delete(resumable);
      return;
    }
    this.#held.set(resumable, {
      get pendingBytes() {
        return resumable.unackedBytes;
      },
      stalledFor: (now) => now - (resumable.awaySince ?? now),
      cutForBudget: () => this.expire(resumable, "outbound budget"),
    });
  }

  /**
   * Ends a held session (its window passed, its buffer is full, the budget
   * needs its memory): its log is freed at once, and it leaves its room —
   * in a moment, never inside the fan-out that filled its buffer.
   */
  expire(resumable: Resumable, reason: string): void {
    if (resumable.ending) return;
    resumable.abandon();
    const session = resumable.session;
    queueMicrotask(() => {
      if (!session.active) return;
      this.#sessions.end(session);
      this.logger.info("session.end", { session: session.id, reason });
    });
  }

  /** Ends every held session (the server is closing); rooms are told. */
  endAll(reason: string): void {
    for (const resumable of [...this.#held.keys()]) {
      const session = resumable.session;
      this.#sessions.end(session);
      this.logger.info("session.end", { session: session.id, reason });
    }
  }
}
