/**
 * The server's totals at one moment: gauges (what there is now) and
 * counters (what happened since start), read from the server's parts and
 * its metrics. Shared by `/status`, the rate history and `/metrics`.
 *
 * @example
 * ```ts
 * import { RelayServer } from "../relay_server.ts";
 * import { readTotals } from "./totals.ts";
 * await using server = await RelayServer.start({ port: 0, udp: false });
 * console.assert(readTotals(server).sessions === 0);
 * ```
 * @module
 */
import type { RelayServer } from "../relay_server.ts";

/** Gauges and counters of one server. */
export interface Totals {
  /** Open connections, logged in or not. */
  readonly connections: number;
  readonly sessions: number;
  /** Sessions held for their clients to resume (their connections dropped). */
  readonly sessionsHeld: number;
  readonly rooms: number;
  /** Members of all rooms together. */
  readonly members: number;
  /** Sessions with an open UDP channel. */
  readonly udpChannels: number;
  /** Bytes queued for clients and not yet written. */
  readonly outboundQueuedBytes: number;
  readonly connectionsAccepted: number;
  readonly linesIn: number;
  readonly bytesIn: number;
  readonly linesOut: number;
  readonly bytesOut: number;
  readonly datagramsIn: number;
  readonly datagramsOut: number;
  /** Datagrams (or lossy deliveries) dropped, every reason together. */
  readonly datagramsDropped: number;
  /** Error lines (`9:`) sent, every code together. */
  readonly refusals: number;
  /** Clients cut off: stalled, over the per-client cap, or for the server's budget. */
  readonly slowConsumerCuts: number;
  /** Times a connection stopped reading for its line rate. */
  readonly rateLimitDelays: number;
  /** Times a sender stopped reading because a receiver was over the high-water mark. */
  readonly flowHolds: number;
  readonly loginsOk: number;
  /** Refused after checking the credentials. */
  readonly loginsFailed: number;
  /** Refused unchecked: the connection's login rate, or the failure throttle. */
  readonly loginsThrottled: number;
  readonly kicks: number;
  readonly notices: number;
  readonly roomsClosed: number;
}

/** Reads the totals of `server` now. */
export function readTotals(server: RelayServer): Totals {
  const ctx = server.ctx;
  const m = ctx.metrics;
  let members = 0;
  for (const room of server.rooms.values()) members += room.members.length;
  const flow = server.flow.stats;
  const messages = m.messagesOut(server.connections);
  const udp = server.udpStats;
  let dropped = 0;
  if (udp !== null) {
    for (const n of Object.values(udp.dropped)) dropped += n;
  }
  let refusals = 0;
  for (const n of m.refusals.values()) refusals += n;
  const throttled = ctx.auth.throttled?.refused ?? 0;
  return {
    connections: server.connectionCount,
    sessions: server.sessionCount,
    sessionsHeld: server.heldSessionCount,
    rooms: server.roomCount,
    members,
    udpChannels: server.udpChannelCount,
    outboundQueuedBytes: server.flow.total.bytes,
    connectionsAccepted: m.connectionsAccepted,
    linesIn: sum(m.linesIn),
    bytesIn: sum(m.bytesIn),
    linesOut: sum(m.linesOut) + messages.lines,
    bytesOut: sum(m.bytesOut) + messages.bytes,
    datagramsIn: udp?.datagramsIn ?? 0,
    datagramsOut: udp?.datagramsOut ?? 0,
    datagramsDropped: dropped,
    refusals,
    slowConsumerCuts: flow.stalledCuts + flow.capCuts + flow.budgetCuts,
    rateLimitDelays: flow.rateDelays,
    flowHolds: flow.holds,
    loginsOk: m.loginsOk,
    loginsFailed: m.loginsRefused - throttled,
    loginsThrottled: m.loginsRateLimited + throttled,
    kicks: m.kicks,
    notices: m.notices,
    roomsClosed: m.roomsClosed,
  };
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
