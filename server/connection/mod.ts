/**
 * One client connection, whatever its transport: framing, rate, dispatch,
 * and the outbound queue back.
 *
 * @example
 * ```ts
 * import { Connection, FlushScheduler } from "./mod.ts";
 * console.assert(typeof Connection === "function" && typeof FlushScheduler === "function");
 * ```
 * @module
 */
export { Connection, type ConnectionOwner } from "./connection.ts";
export { type FlushPolicy, FlushScheduler } from "./flush_scheduler.ts";
export { type OutboundOptions, OutboundQueue } from "./outbound.ts";
export { type Sweepable, Sweeper } from "./sweeper.ts";
export { Backpressure } from "./backpressure.ts";
export {
  type BudgetMember,
  Flow,
  type FlowStats,
  highWaterOf,
} from "./flow.ts";
