/**
 * The server's counters: plain numbers, incremented where things happen
 * without allocating, read by the exporter only when someone asks
 * (`/metrics`, `/status`). Nothing here formats or sends anything.
 *
 * @example
 * ```ts
 * import {
 *   countIn,
 *   countOut,
 *   InKind,
 *   ServerMetrics,
 *   Traffic,
 * } from "./server_metrics.ts";
 * const metrics = new ServerMetrics();
 * const conn = new Traffic();
 * const line = new TextEncoder().encode("3:1:hi");
 * countIn(metrics, conn, line);
 * countOut(metrics, conn, new TextEncoder().encode("3:7:hi\n"));
 * console.assert(metrics.linesIn[InKind.Send] === 1 && conn.bytesIn === 7);
 * ```
 * @module
 */
import { Histogram } from "./histogram.ts";
import { RelayProbe } from "./relay_probe.ts";

/** Kinds of client lines, by their leading command (see docs/protocol.md). */
export const InKind = {
  Login: 0,
  ListRooms: 1,
  Join: 2,
  Leave: 3,
  Send: 4,
  SendUsers: 5,
  SendGroup: 6,
  DefineGroup: 7,
  /** Anything that is not one of the commands above. */
  Other: 8,
} as const;

/** The `kind` label of each {@linkcode InKind}, in index order. */
export const IN_KIND_NAMES = [
  "login",
  "list-rooms",
  "join",
  "leave",
  "send",
  "send-users",
  "send-group",
  "define-group",
  "other",
] as const;

/**
 * The `kind` label of server lines by their leading digit (index = digit);
 * null where no line of that type exists (counted as `other`).
 */
export const OUT_KIND_NAMES = [
  "session",
  "room-list",
  "membership",
  "message",
  "master",
  null,
  null,
  null,
  "notice",
  "error",
] as const;

/** Index of lines that start with no digit in the out counters. */
export const OUT_OTHER = 10;

/**
 * Upper bounds (seconds) of the relay-latency histogram: from a line's
 * arrival to the write of its last recipient's bytes.
 */
export const RELAY_LATENCY_BOUNDS = [
  0.0001,
  0.00025,
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
] as const;

/**
 * One connection's own counters (shown per session in `/status`). Relayed
 * messages (`3:` lines), most of what goes out, are counted here only, in
 * two plain fields: a delivery costs two increments. The server's totals of
 * them are summed over its connections when someone asks.
 */
export class Traffic {
  linesIn = 0;
  bytesIn = 0;
  /** `3:` lines queued for this client. */
  messagesOut = 0;
  messageBytesOut = 0;
  /** Every other line queued for this client. */
  otherLinesOut = 0;
  otherBytesOut = 0;

  /** Lines queued for this client. */
  get linesOut(): number {
    return this.messagesOut + this.otherLinesOut;
  }

  /** Bytes of the lines queued for this client. */
  get bytesOut(): number {
    return this.messageBytesOut + this.otherBytesOut;
  }
}

/** Counters of one server. */
export class ServerMetrics {
  /**
   * Whether connections count their traffic and time relayed lines. Off
   * only to measure what counting costs (bench/README.md); the other
   * counters are not on the hot path and always count.
   */
  readonly enabled: boolean;
  /** Client lines received, by {@linkcode InKind}. */
  readonly linesIn = new Float64Array(IN_KIND_NAMES.length);
  /** Bytes of those lines, `\n` included. */
  readonly bytesIn = new Float64Array(IN_KIND_NAMES.length);
  /**
   * Server lines queued for clients, by leading digit (10: other), except
   * messages (`3:`), which connections count themselves: see
   * {@linkcode messagesOut}.
   */
  readonly linesOut = new Float64Array(OUT_OTHER + 1);
  /** Bytes of those lines. */
  readonly bytesOut = new Float64Array(OUT_OTHER + 1);
  /** Messages queued for connections that have closed since (see {@linkcode retire}). */
  retiredMessagesOut = 0;
  retiredMessageBytesOut = 0;
  /** Error lines (`9:`) sent, by code; the codes are the server's own, a fixed set. */
  readonly refusals = new Map<string, number>();
  /** Connections accepted (not counting those refused at accept). */
  connectionsAccepted = 0;
  /** Logins accepted. */
  loginsOk = 0;
  /** Logins refused by the authenticator (wrong credentials, or its throttle). */
  loginsRefused = 0;
  /** Logins refused by the per-connection login rate, unchecked. */
  loginsRateLimited = 0;
  /** Sessions ended by an administrator. */
  kicks = 0;
  /** Rooms closed by an administrator. */
  roomsClosed = 0;
  /** Server notices sent (one per receiver). */
  notices = 0;
  /** Times from a line's arrival to its last recipient's write (seconds). */
  readonly relayLatency = new Histogram(RELAY_LATENCY_BOUNDS);
  /** Times the relayed lines for {@linkcode relayLatency}. */
  readonly probe: RelayProbe;

  /** Counters at zero; `enabled` false stops the per-line counting. */
  constructor(options: { enabled?: boolean } = {}) {
    this.enabled = options.enabled ?? true;
    this.probe = new RelayProbe(this.relayLatency);
  }

  /** Keeps a closing connection's message counts in the server's totals. */
  retire(traffic: Traffic): void {
    this.retiredMessagesOut += traffic.messagesOut;
    this.retiredMessageBytesOut += traffic.messageBytesOut;
  }

  /**
   * Messages (`3:` lines) and their bytes queued for clients since the
   * start: the retired counts plus those of the connections still open.
   */
  messagesOut(open: Iterable<{ readonly traffic: Traffic }>): {
    lines: number;
    bytes: number;
  } {
    let lines = this.retiredMessagesOut;
    let bytes = this.retiredMessageBytesOut;
    for (const { traffic } of open) {
      lines += traffic.messagesOut;
      bytes += traffic.messageBytesOut;
    }
    return { lines, bytes };
  }

  /** Counts one `9:` line with `code` sent outside a connection's queue. */
  countRefusal(code: string): void {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
  }
}

/** Classifies a client line (without `\n`) by its leading command. */
export function inKind(line: Uint8Array): number {
  const c = line[0]! - 0x30;
  if (c < 0 || c > 5 || (line.length > 1 && line[1] !== 0x3a)) {
    return InKind.Other;
  }
  switch (c) {
    case 0:
      return InKind.Login;
    case 1:
      return InKind.ListRooms;
    case 2:
      return line.length === 4 && line[2] === 0x2d && line[3] === 0x31
        ? InKind.Leave
        : InKind.Join;
    case 3:
      return line[2] === 0x34 ? InKind.SendUsers : InKind.Send;
    case 4:
      return InKind.SendGroup;
    default:
      return InKind.DefineGroup;
  }
}

/** Counts one client line (without its `\n`) for the server and the connection. */
export function countIn(
  metrics: ServerMetrics,
  traffic: Traffic,
  line: Uint8Array,
): void {
  const kind = line.length === 0 ? InKind.Other : inKind(line);
  const bytes = line.length + 1;
  metrics.linesIn[kind]!++;
  metrics.bytesIn[kind]! += bytes;
  traffic.linesIn++;
  traffic.bytesIn += bytes;
}

/**
 * Counts one frame (one complete server line) queued for a client: a
 * message on the connection only (the common case, two increments), any
 * other line also by kind for the server, and an error line by its code.
 */
export function countOut(
  metrics: ServerMetrics,
  traffic: Traffic,
  frame: Uint8Array,
): void {
  if (frame[0] === 0x33) {
    traffic.messagesOut++;
    traffic.messageBytesOut += frame.length;
    return;
  }
  countOtherOut(metrics, traffic, frame);
}

function countOtherOut(
  metrics: ServerMetrics,
  traffic: Traffic,
  frame: Uint8Array,
): void {
  const d = frame[0]! - 0x30;
  const kind = d >= 0 && d <= 9 && OUT_KIND_NAMES[d] !== null ? d : OUT_OTHER;
  metrics.linesOut[kind]!++;
  metrics.bytesOut[kind]! += frame.length;
  traffic.otherLinesOut++;
  traffic.otherBytesOut += frame.length;
  if (d === 9) metrics.countRefusal(errorCode(frame));
}

/** The `<code>` of `9:<command>:<code>:<text>\n`. */
function errorCode(frame: Uint8Array): string {
  const start = frame.indexOf(0x3a, 2) + 1;
  if (start === 0) return "unknown";
  let end = frame.indexOf(0x3a, start);
  if (end === -1) end = frame.length - 1;
  return String.fromCharCode(...frame.subarray(start, end));
}
