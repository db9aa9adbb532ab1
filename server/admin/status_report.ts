/**
 * `/status`: the server at one moment as JSON — version, uptime, node,
 * limits, totals and rates, rooms with their members, and sessions with
 * their counters. Lists are bounded (the largest rooms first); the totals
 * always cover everything.
 *
 * @example
 * ```ts
 * import { RelayServer } from "../relay_server.ts";
 * import { statusReport } from "./status_report.ts";
 * await using server = await RelayServer.start({ port: 0, udp: false });
 * const report = statusReport(server, { version: "0.1.0", node: "a" });
 * console.assert(report.totals.sessions === 0 && report.rooms.length === 0);
 * ```
 * @module
 */
import type { Limits } from "../../protocol/mod.ts";
import type { RelayServer } from "../relay_server.ts";
import type { Session } from "../sessions/session.ts";
import type { DrainState } from "./admin_actions.ts";
import type { EventLoopMonitor } from "../metrics/mod.ts";
import { readTotals, type Totals } from "./totals.ts";

/** Most rooms and sessions listed by default, and at most. */
export const STATUS_LIST_DEFAULT = 100;
/** Upper bound of `?rooms=` and `?sessions=`. */
export const STATUS_LIST_MAX = 10_000;

/** One member of a listed room. */
export interface MemberReport {
  readonly id: number;
  /** Its username; null for a member served by another node. */
  readonly user: string | null;
  /** When it joined the room (ISO time); null when not known here. */
  readonly joinedAt: string | null;
}

/** One room. */
export interface RoomReport {
  readonly name: string;
  readonly declared: boolean;
  readonly private: boolean;
  readonly maxMembers: number | null;
  /** The master's session id; null when empty. */
  readonly master: number | null;
  readonly memberCount: number;
  /** Members in join order (the master first). */
  readonly members: readonly MemberReport[];
}

/** One session with its connection's counters. */
export interface SessionReport {
  readonly id: number;
  readonly user: string;
  readonly remote: string;
  readonly room: string | null;
  /** When it logged in (ISO time). */
  readonly since: string;
  readonly udp: boolean;
  /** Its connection dropped and the session is held for it (resume). */
  readonly away: boolean;
  /** Bytes queued for it and not yet written (away: kept for its resume). */
  readonly queuedBytes: number;
  readonly linesIn: number;
  readonly bytesIn: number;
  readonly linesOut: number;
  readonly bytesOut: number;
}

/** The whole report. */
export interface StatusReport {
  readonly version: string;
  readonly node: string;
  readonly now: string;
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  readonly accepting: boolean;
  readonly draining: DrainState | null;
  readonly listen: { readonly tcp: string; readonly udp: string | null };
  readonly limits: Limits;
  readonly totals: Totals;
  /** Per-second rates over the last sampling interval, when sampled. */
  readonly rates: Readonly<Record<string, number>>;
  readonly eventLoopDelay:
    | { readonly meanMs: number; readonly maxMs: number }
    | null;
  readonly relayLatency: { readonly count: number; readonly meanMs: number };
  readonly rooms: readonly RoomReport[];
  /** True when more rooms exist than are listed. */
  readonly roomsTruncated: boolean;
  readonly sessions: readonly SessionReport[];
  readonly sessionsTruncated: boolean;
}

/** What the report needs besides the server. */
export interface StatusExtras {
  readonly version: string;
  readonly node: string;
  readonly draining?: DrainState | null;
  readonly rates?: Readonly<Record<string, number>>;
  readonly eventLoop?: EventLoopMonitor;
  /** Rooms listed (largest first); {@linkcode STATUS_LIST_DEFAULT} by default. */
  readonly maxRooms?: number;
  /** Sessions listed (by id); {@linkcode STATUS_LIST_DEFAULT} by default. */
  readonly maxSessions?: number;
}

/** The status of `server` now. */
export function statusReport(
  server: RelayServer,
  extras: StatusExtras,
): StatusReport {
  const ctx = server.ctx;
  const now = Date.now();
  const rooms = [...server.rooms.values()].sort((a, b) =>
    b.members.length - a.members.length || (a.name < b.name ? -1 : 1)
  );
  const maxRooms = extras.maxRooms ?? STATUS_LIST_DEFAULT;
  const maxSessions = extras.maxSessions ?? STATUS_LIST_DEFAULT;
  const sessions: Session[] = [];
  for (const session of ctx.sessions.values()) {
    if (sessions.length === maxSessions) break;
    sessions.push(session);
  }
  const latency = ctx.metrics.relayLatency;
  const udpPort = server.udpPort;
  return {
    version: extras.version,
    node: extras.node,
    now: new Date(now).toISOString(),
    startedAt: new Date(server.startedAt).toISOString(),
    uptimeSeconds: (now - server.startedAt) / 1000,
    accepting: server.accepting,
    draining: extras.draining ?? null,
    listen: {
      tcp: `${server.hostname}:${server.port}`,
      udp: udpPort === 0 ? null : `${server.hostname}:${udpPort}`,
    },
    limits: ctx.limits,
    totals: readTotals(server),
    rates: extras.rates ?? {},
    eventLoopDelay: extras.eventLoop?.recent() ?? null,
    relayLatency: {
      count: latency.count,
      meanMs: latency.count === 0 ? 0 : (latency.sum / latency.count) * 1000,
    },
    rooms: rooms.slice(0, maxRooms).map((room): RoomReport => ({
      name: room.name,
      declared: room.declared,
      private: room.isPrivate,
      maxMembers: room.maxMembers,
      master: room.master?.id ?? null,
      memberCount: room.members.length,
      members: room.members.map((peer): MemberReport => {
        const session = ctx.sessions.get(peer.id);
        const local = session === peer ? session : undefined;
        return {
          id: peer.id,
          user: local?.username ?? null,
          joinedAt: local === undefined || local.joinedAt === 0
            ? null
            : new Date(local.joinedAt).toISOString(),
        };
      }),
    })),
    roomsTruncated: rooms.length > maxRooms,
    sessions: sessions.map((session) => sessionReport(session)),
    sessionsTruncated: ctx.sessions.size > sessions.length,
  };
}

function sessionReport(session: Session): SessionReport {
  const link = session.link;
  const traffic = link.traffic;
  return {
    id: session.id,
    user: session.username,
    remote: link.remote ?? "",
    room: session.room?.name ?? null,
    since: new Date(session.since).toISOString(),
    udp: session.udp !== null,
    away: session.resume?.away ?? false,
    queuedBytes: session.resume?.away
      ? session.resume.unackedBytes
      : link.pendingBytes ?? 0,
    linesIn: traffic?.linesIn ?? 0,
    bytesIn: traffic?.bytesIn ?? 0,
    linesOut: traffic?.linesOut ?? 0,
    bytesOut: traffic?.bytesOut ?? 0,
  };
}
