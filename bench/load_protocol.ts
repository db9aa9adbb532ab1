/**
 * Messages between the bench coordinator and its load-generating workers.
 *
 * @example
 * ```ts
 * import type { LoadConfig } from "./load_protocol.ts";
 * const config: LoadConfig = { mode: 1, rate: 0, window: 16, payloadBytes: 100, pattern: "room" };
 * ```
 * @module
 */

/** What each simulated client does. */
export interface LoadConfig {
  /** Send mode `3:<mode>`; window mode needs 1 or 3 (the sender sees its own copy). */
  mode: 0 | 1 | 2 | 3;
  /** Messages per second per client; 0 = as fast as the window allows. */
  rate: number;
  /** Messages in flight per client when `rate` is 0. */
  window: number;
  /** Bytes of each message's payload (at least 17: a timestamp and a colon). */
  payloadBytes: number;
  /** `room`: everyone sends to its room; `pingpong`: pairs bounce one message; `idle`: log in and wait. */
  pattern: "room" | "pingpong" | "idle";
  /** `udp`: messages go as datagrams over each client's UDP channel (default `tcp`). */
  transport?: "tcp" | "udp";
  /** The generator's socket API (default `node`). */
  socketApi?: "node" | "deno";
}

/** One simulated client's identity. */
export interface ClientSpec {
  index: number;
  name: string;
  room: string;
  /** The node it connects to, when the target is a deployment of several. */
  host?: string;
  port?: number;
  udpPort?: number;
}

/** Coordinator -> worker. */
export type ToWorker =
  | {
    type: "setup";
    host: string;
    port: number;
    udpPort: number;
    clients: ClientSpec[];
    config: LoadConfig;
  }
  | { type: "go" }
  | { type: "measure" }
  | { type: "end-measure" }
  | { type: "stop" }
  | { type: "final" };

/** Counters a worker reports. */
export interface Counters {
  /** Messages sent. */
  sent: number;
  /** Messages received (`3:` lines), own copies included. */
  delivered: number;
  /** Clients whose connection ended unexpectedly. */
  disconnects: number;
}

/** Worker -> coordinator. */
export type FromWorker =
  | { type: "ready" }
  | ({ type: "progress" } & Counters)
  /** Counters of the measured window only, and its latencies. */
  | ({ type: "window"; histogram: Float64Array; max: number } & Counters)
  | ({ type: "final" } & Counters)
  | { type: "error"; message: string };
