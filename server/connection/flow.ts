/**
 * The server-wide side of flow control: which connection's line is being
 * handled (frames queued meanwhile hold that sender back), the water marks
 * and hold time every queue uses, the outbound budget shared by all queues,
 * and counters of what flow control did.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "../../protocol/mod.ts";
 * import { Flow } from "./flow.ts";
 * const flow = new Flow(DEFAULT_LIMITS, () => []);
 * console.assert(flow.lowWater === flow.highWater / 4);
 * ```
 * @module
 */
import type { Limits } from "../../protocol/mod.ts";
import type { Backpressure } from "./backpressure.ts";
import { OutboundTotal } from "./outbound.ts";
import { WakeTimer } from "./wake_timer.ts";

/** A queue the budget may cut, as {@linkcode Flow} sees it. */
export interface BudgetMember {
  /** Bytes it has queued. */
  readonly pendingBytes: number;
  /** Milliseconds since its queue last made progress, as of `now`; 0 when empty. */
  stalledFor(now: number): number;
  /** Cuts it off because the server is over its outbound budget. */
  cutForBudget(): void;
}

/** What flow control has done since the server started. */
export interface FlowStats {
  /** Times a connection stopped reading for its line rate. */
  rateDelays: number;
  /** Times a sender stopped reading because a receiver was over the high-water mark. */
  holds: number;
  /** Times a receiver was judged stalled and stopped holding its senders. */
  stalls: number;
  /** Connections cut for making no progress for the stall timeout. */
  stalledCuts: number;
  /** Connections cut for passing the per-client hard cap. */
  capCuts: number;
  /** Connections cut to bring the server under its outbound budget. */
  budgetCuts: number;
}

/**
 * The high-water mark in force: `outboundHighWater`, but at most half the
 * hard cap, so that a held receiver always has room below its cap.
 */
export function highWaterOf(limits: Limits): number {
  return Math.min(
    limits.outboundHighWater,
    Math.floor(limits.maxOutboundBytes / 2),
  );
}

/** Once over budget, cut until this share of the budget is left in use. */
const BUDGET_TARGET = 0.9;

/** Flow control's state shared by one server's connections. */
export class Flow {
  /** The sender whose line is being handled, if any. */
  sender: Backpressure | null = null;
  /** Bytes queued by all queues together. */
  readonly total = new OutboundTotal();
  /** Above this many queued bytes a receiver holds back its senders. */
  readonly highWater: number;
  /** A held sender is released once the receiver is at or below this. */
  readonly lowWater: number;
  /** How long a receiver with no progress may hold back its senders (ms). */
  readonly holdMs: number;
  /** The outbound budget of the whole server, in bytes. */
  readonly budget: number;
  /** Wakes connections stopped for their line rate. */
  readonly wakeups = new WakeTimer();
  readonly stats: FlowStats = {
    rateDelays: 0,
    holds: 0,
    stalls: 0,
    stalledCuts: 0,
    capCuts: 0,
    budgetCuts: 0,
  };
  readonly #members: () => Iterable<BudgetMember>;

  /** Flow control for `limits`; `members` lists the queues the budget may cut. */
  constructor(limits: Limits, members: () => Iterable<BudgetMember>) {
    this.highWater = highWaterOf(limits);
    this.lowWater = Math.floor(this.highWater / 4);
    this.holdMs = limits.maxHoldMs;
    this.budget = limits.maxTotalOutboundBytes;
    this.#members = members;
  }

  /** Whether the queues together hold more than the budget. */
  get overBudget(): boolean {
    return this.total.bytes > this.budget;
  }

  /**
   * Cuts queues until the total is back under the budget (with some room):
   * those that made no progress for the hold time first, largest first, then
   * the largest of the rest. Rare: a scan of every connection.
   */
  enforceBudget(): void {
    const now = performance.now();
    const queued: { member: BudgetMember; stalled: boolean }[] = [];
    for (const member of this.#members()) {
      if (member.pendingBytes > 0) {
        queued.push({ member, stalled: member.stalledFor(now) >= this.holdMs });
      }
    }
    queued.sort((a, b) =>
      a.stalled !== b.stalled
        ? (a.stalled ? -1 : 1)
        : b.member.pendingBytes - a.member.pendingBytes
    );
    const target = this.budget * BUDGET_TARGET;
    for (const { member } of queued) {
      if (this.total.bytes <= target) break;
      this.stats.budgetCuts++;
      member.cutForBudget();
    }
  }
}
