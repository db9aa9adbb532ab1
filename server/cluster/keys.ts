/**
 * Where a deployment keeps its state in Redis: every key and channel name,
 * in one place (docs/cluster.md, "What is stored where").
 *
 * @example
 * ```ts
 * import { ClusterKeys } from "./keys.ts";
 * const keys = new ClusterKeys("sb:");
 * console.assert(keys.roomChannel("lobby") === "sb:r:lobby");
 * ```
 * @module
 */

/** Key and channel names under one prefix. */
export class ClusterKeys {
  /** Counter of node ids (`INCR`). */
  readonly nodeSeq: string;
  /** Counter of session ids (`INCR`), raised by every heartbeat. */
  readonly sessionSeq: string;
  /**
   * Set (with an expiry) by the first node back on a Redis that lost its
   * data: until it expires, no node hands out session ids.
   */
  readonly recovering: string;
  /** Sorted set: node id -> the Redis time (ms) its heartbeat runs out. */
  readonly nodes: string;
  /** Hash: node id -> the random token of the process holding that id. */
  readonly nodeTokens: string;
  /** Hash: username -> `<session id>:<node id>` (one login per deployment). */
  readonly users: string;
  /** Hash: session id -> node id, for `3:4` and groups. */
  readonly sessions: string;
  /** Sorted set: ad-hoc room name -> creation time (µs), for `1:`. */
  readonly rooms: string;

  /** Names under `prefix` (`sb:` by default). */
  constructor(readonly prefix = "sb:") {
    this.nodeSeq = `${prefix}seq:node`;
    this.sessionSeq = `${prefix}seq:session`;
    this.recovering = `${prefix}recovering`;
    this.nodes = `${prefix}nodes`;
    this.nodeTokens = `${prefix}node-tokens`;
    this.users = `${prefix}users`;
    this.sessions = `${prefix}sessions`;
    this.rooms = `${prefix}rooms`;
  }

  /** Hash: session id -> `username\x1froom` of one node's sessions (for reaping it). */
  node(node: number | string): string {
    return `${this.prefix}node:${node}`;
  }

  /** List: a room's member ids in join order; the first is the master. */
  roomMembers(room: string): string {
    return `${this.prefix}room:${room}`;
  }

  /** Hash: an ad-hoc room's `lock` (SHA-256 hex of its password, or empty). */
  roomInfo(room: string): string {
    return `${this.prefix}ri:${room}`;
  }

  /** Channel: a room's joins, leaves, master changes and messages, in one order. */
  roomChannel(room: string): string {
    return `${this.prefix}r:${room}`;
  }

  /** Channel: messages for one node's sessions (`3:4`, groups, supersede). */
  nodeChannel(node: number | string): string {
    return `${this.prefix}n:${node}`;
  }
}
