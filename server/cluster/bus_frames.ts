/**
 * What nodes publish to each other. Every bus message starts with one type
 * byte; messages carry the relayed line itself (`3:<id>:<payload>\n`), so a
 * receiving node copies bytes into its clients' queues and decodes nothing
 * but the sender's id.
 *
 * Room channel (`sb:r:<room>`): `o`/`a` + line (to the others / to all),
 * `u`/`U` + line (the same, lossy: from UDP), `j<ids>` (a join: the member
 * ids in join order, joiner last) and `l<id>[,<master>]` (a leave, with the
 * new master when the master left); joins and leaves are published by the
 * scripts (scripts.ts). Node channel (`sb:n:<node>`): `d<ids>\n` + line or
 * `u<ids>\n` + line (listed recipients), `k<id>` (that session's user
 * logged in on another node).
 *
 * @example
 * ```ts
 * import { BusType, busFrame, senderOf } from "./bus_frames.ts";
 * const line = new TextEncoder().encode("3:12:hi\n");
 * const message = busFrame(BusType.ToOthers, line);
 * console.assert(message[0] === BusType.ToOthers && senderOf(message.subarray(1)) === 12);
 * ```
 * @module
 */

/** The first byte of a bus message. */
export const BusType = {
  ToOthers: 0x6f, // o
  ToAll: 0x61, // a
  LossyToOthers: 0x75, // u
  LossyToAll: 0x55, // U
  Join: 0x6a, // j
  Leave: 0x6c, // l
  Direct: 0x64, // d
  Kick: 0x6b, // k
} as const;

/** One of the {@linkcode BusType} values. */
export type BusType = typeof BusType[keyof typeof BusType];

/** `type` followed by a copy of `line` (the scratch frame is reused). */
export function busFrame(type: BusType, line: Uint8Array): Uint8Array {
  const data = new Uint8Array(line.length + 1);
  data[0] = type;
  data.set(line, 1);
  return data;
}

const COLON = 0x3a;
const ZERO = 0x30;

/** The sender's id in a relayed line `3:<id>:…`. */
export function senderOf(line: Uint8Array): number {
  let id = 0;
  for (let i = 2; i < line.length && line[i] !== COLON; i++) {
    id = id * 10 + line[i]! - ZERO;
  }
  return id;
}

const decoder = new TextDecoder();

/** Comma-separated ids, from `start` to `end`. */
export function idsIn(data: Uint8Array, start: number, end: number): number[] {
  const text = decoder.decode(data.subarray(start, end));
  return text === "" ? [] : text.split(",").map(Number);
}
