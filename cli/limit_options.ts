/**
 * One `serve` flag per limit that `serve.ts` does not declare itself, from
 * one table, so that a new limit is one row here (and one in the docs).
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { addLimitOptions, limitOverrides } from "./limit_options.ts";
 * const command = new Command("serve");
 * addLimitOptions(command);
 * command.parse(["--max-rooms", "5"], { from: "user" });
 * console.assert(limitOverrides(command.opts()).maxRooms === 5);
 * ```
 * @module
 */
import {
  type Command,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import { DEFAULT_LIMITS, type Limits } from "../protocol/mod.ts";

/** A limit's flag: `--flag <n>` sets `limits[key]` to n × `scale`. */
export interface LimitFlag {
  readonly flag: string;
  readonly key: keyof Limits;
  readonly help: string;
  /** The flag's unit in the limit's: 1000 for a flag in seconds of a limit in ms. */
  readonly scale?: number;
}

/** The limit flags, in the order `serve --help` shows them. */
export const LIMIT_FLAGS: readonly LimitFlag[] = [
  {
    flag: "--max-name-bytes",
    key: "maxNameBytes",
    help: "longest username, password, room or group name",
  },
  {
    flag: "--max-recipients",
    key: "maxRecipients",
    help: "users listed in one 3:4 message",
  },
  {
    flag: "--max-groups",
    key: "maxGroupsPerClient",
    help: "groups one client may define",
  },
  {
    flag: "--max-group-members",
    key: "maxGroupMembers",
    help: "members in one group",
  },
  { flag: "--max-rooms", key: "maxRooms", help: "rooms at once" },
  {
    flag: "--max-connections",
    key: "maxConnections",
    help: "open connections; more are refused",
  },
  {
    flag: "--max-connections-per-address",
    key: "maxConnectionsPerAddress",
    help: "open connections from one IP address; more are refused",
  },
  {
    flag: "--max-logins-per-minute",
    key: "maxLoginsPerMinute",
    help: "login attempts per connection per minute",
  },
  {
    flag: "--max-messages-per-second",
    key: "maxMessagesPerSecond",
    help: "lines per second per connection, on average",
  },
  {
    flag: "--message-burst",
    key: "messageBurst",
    help: "lines per connection back to back above that rate",
  },
  {
    flag: "--outbound-high-water",
    key: "outboundHighWater",
    help:
      "bytes queued for a client above which its senders wait (they resume at a quarter of it)",
  },
  {
    flag: "--max-total-outbound-bytes",
    key: "maxTotalOutboundBytes",
    help:
      "bytes queued for all clients together; past it the largest stalled queues are cut",
  },
  {
    flag: "--stall-timeout",
    key: "stallTimeoutMs",
    scale: 1000,
    help:
      "seconds a client's queue may go without any progress before it is cut off",
  },
  {
    flag: "--max-hold-ms",
    key: "maxHoldMs",
    help:
      "milliseconds a receiver that makes no progress may hold up its senders",
  },
  {
    flag: "--login-timeout",
    key: "loginTimeoutMs",
    scale: 1000,
    help: "seconds a connection may stay without logging in",
  },
  {
    flag: "--max-datagrams-per-second",
    key: "maxDatagramsPerSecond",
    help: "UDP datagrams per second per channel, on average; more are dropped",
  },
  {
    flag: "--datagram-burst",
    key: "datagramBurst",
    help: "UDP datagrams per channel back to back above that rate",
  },
  {
    flag: "--resume-window",
    key: "resumeWindowMs",
    scale: 1000,
    help:
      "seconds a resumable session whose connection dropped is held for its client to resume",
  },
  {
    flag: "--resume-buffer-bytes",
    key: "resumeBufferBytes",
    help:
      "bytes of unacknowledged lines a resumable session keeps; past it an away session ends",
  },
];

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError("expected a whole number from 1");
  }
  return n;
}

/** Adds every flag of {@linkcode LIMIT_FLAGS} to `command`, with its default. */
// deno-lint-ignore no-explicit-any
export function addLimitOptions(command: Command<any, any, any>): void {
  for (const { flag, key, help, scale = 1 } of LIMIT_FLAGS) {
    command.addOption(
      new Option(`${flag} <n>`, help).argParser(positive).default(
        DEFAULT_LIMITS[key] / scale,
      ),
    );
  }
}

/** The limits set by the flags of {@linkcode LIMIT_FLAGS} in parsed `options`. */
export function limitOverrides(options: object): Partial<Limits> {
  const values = options as Record<string, unknown>;
  const limits: Partial<Record<keyof Limits, number>> = {};
  for (const { flag, key, scale = 1 } of LIMIT_FLAGS) {
    const value = values[new Option(`${flag} <n>`).attributeName()];
    if (typeof value === "number") limits[key] = value * scale;
  }
  return limits;
}
