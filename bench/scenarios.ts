/**
 * The standard scenarios of bench/README.md, with their targets.
 *
 * @example
 * ```ts
 * import { SCENARIOS } from "./scenarios.ts";
 * console.assert(SCENARIOS.some((s) => s.id === "a"));
 * ```
 * @module
 */
import type { BenchOptions, BenchResult } from "./runner.ts";

/** One scenario: how to run it and how to judge it. */
export interface Scenario {
  id: string;
  title: string;
  options: Omit<BenchOptions, "onProgress" | "target">;
  /** The target, in words. */
  target: string;
  /** Whether `result` meets the target. */
  meets(result: BenchResult): boolean;
}

/** Scenarios (a)–(e) of bench/README.md. */
export const SCENARIOS: Scenario[] = [
  {
    id: "a",
    title: "100 clients, rooms of 10, as fast as possible",
    options: {
      clients: 100,
      roomSize: 10,
      workers: 1,
      warmupMs: 1000,
      durationMs: 5000,
      config: {
        mode: 1,
        rate: 0,
        window: 16,
        payloadBytes: 100,
        pattern: "room",
      },
    },
    target: ">= 1.5M deliveries/s",
    meets: (r) => r.deliveriesPerSecond >= 1.5e6,
  },
  {
    id: "b",
    title: "1,000 clients, rooms of 8, 60 msg/s each",
    options: {
      clients: 1000,
      roomSize: 8,
      workers: 1,
      warmupMs: 2000,
      durationMs: 5000,
      config: {
        mode: 0,
        rate: 60,
        window: 1,
        payloadBytes: 100,
        pattern: "room",
      },
    },
    target: "420k deliveries/s, none lost, p99 <= 10 ms",
    meets: (r) =>
      r.lost === 0 && r.disconnects === 0 && r.latencyMicros.p99 <= 10_000,
  },
  {
    id: "c",
    title: "2 clients ping-pong",
    options: {
      clients: 2,
      roomSize: 2,
      workers: 1,
      warmupMs: 1000,
      durationMs: 5000,
      config: {
        mode: 0,
        rate: 0,
        window: 1,
        payloadBytes: 100,
        pattern: "pingpong",
      },
    },
    target: "round trip p50 <= 200 µs",
    meets: (r) => r.latencyMicros.samples > 0 && r.latencyMicros.p50 <= 200,
  },
  {
    id: "d",
    title: "5,000 idle logged-in clients (rooms of 10)",
    options: {
      clients: 5000,
      roomSize: 10,
      workers: 1,
      warmupMs: 0,
      durationMs: 1000,
      config: {
        mode: 0,
        rate: 0,
        window: 1,
        payloadBytes: 100,
        pattern: "idle",
      },
    },
    target: "<= 10 KB of server memory each",
    meets: (r) => r.server !== null && r.server.rssPerClientBytes <= 10_000,
  },
  {
    id: "e",
    title: "UDP, 100 clients, rooms of 4, 100 datagrams/s each",
    options: {
      clients: 100,
      roomSize: 4,
      workers: 1,
      warmupMs: 1000,
      durationMs: 5000,
      // A fixed rate rather than "as fast as possible": lost datagrams would
      // stall a window, and the generator's own UDP cost (not the server's)
      // is the limit on this machine; the server's CPU shows its headroom.
      config: {
        mode: 0,
        rate: 100,
        window: 1,
        payloadBytes: 100,
        pattern: "room",
        transport: "udp",
      },
    },
    target: ">= 100k datagrams/s relayed",
    meets: (r) => r.deliveriesPerSecond >= 100_000,
  },
];
