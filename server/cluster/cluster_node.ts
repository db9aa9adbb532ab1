/**
 * One server's membership of a deployment: its node id, its heartbeat, its
 * link to Redis, and what it does when that link fails.
 *
 * - **Announce and heartbeat.** A node takes an id (`INCR`), then every
 *   `heartbeatMs` renews its deadline `ttlMs` ahead (on Redis's clock) in
 *   one script that also reaps every node whose deadline has passed: their
 *   sessions leave their rooms on every node, with new masters. A node
 *   killed with `kill -9` is thus gone everywhere within `ttlMs +
 *   heartbeatMs` (4 s by default). The heartbeat has a connection of its
 *   own, so a backlog of this node's commands cannot make it late.
 * - **Losing Redis.** Pub/sub keeps nothing for a subscriber that was away,
 *   so a node that loses a connection, finds itself reaped, or has no
 *   heartbeat answered for twice the TTL cannot know what it missed: it ends every session it serves
 *   (`9:0:unavailable:…`, `0:-1`, connection closed), refuses logins with
 *   the same error line while Redis is away, and tries again every
 *   `reconnectMs`. Back, it takes a new node id and reaps its old one.
 * - **Pressure.** Everything this node sends to Redis goes over one
 *   connection, in order; past `maxPendingBytes` not yet answered, senders
 *   wait (their sockets stop being read) until it is down to a quarter.
 *
 * @example
 * ```ts
 * import { ClusterNode } from "./cluster_node.ts";
 * console.assert(typeof ClusterNode.connect === "function");
 * ```
 * @module
 */
import type { Limits } from "../../protocol/mod.ts";
import type { Deployment, DeploymentParts } from "../deployment.ts";
import { errorField, type Logger } from "../logger.ts";
import { UnavailableError } from "../sessions/session_ids.ts";
import { ClusterKeys } from "./keys.ts";
import type { ClusterTarget } from "./cluster_url.ts";
import { message, RedisLink } from "./redis_link.ts";
import { SCRIPTS } from "./scripts.ts";
import { BusOutbox } from "./bus_outbox.ts";
import { ClusterRooms } from "./cluster_rooms.ts";
import { ClusterSessions } from "./cluster_sessions.ts";
import { ClusterIds, ClusterRecipients } from "./cluster_directory.ts";

/** Heartbeat period. */
export const DEFAULT_HEARTBEAT_MS = 1_000;
/** A node whose heartbeat is this late is reaped. */
export const DEFAULT_NODE_TTL_MS = 3_000;
/** Wait between attempts to reach Redis again. */
export const DEFAULT_RECONNECT_MS = 500;
/** Bytes sent to Redis and not yet answered before senders wait. */
export const DEFAULT_MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** Options of {@linkcode ClusterNode.connect}. */
export interface ClusterNodeOptions {
  readonly target: ClusterTarget;
  readonly logger: Logger;
  readonly heartbeatMs?: number;
  readonly ttlMs?: number;
  readonly reconnectMs?: number;
  readonly maxPendingBytes?: number;
}

/** This server's part in a deployment. */
export class ClusterNode implements Deployment, AsyncDisposable {
  readonly keys: ClusterKeys;
  readonly logger: Logger;
  readonly #options: ClusterNodeOptions;
  readonly #heartbeatMs: number;
  readonly #ttlMs: number;
  /** How long no id is handed out after Redis lost its data. */
  readonly #recoveryMs: number;
  #link: RedisLink | null = null;
  #id = 0;
  #token = "";
  /** A heartbeat is on its way (one at a time), sent at `#beatSentAt`. */
  #beating = false;
  #beatSentAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #closing = false;
  /** Everything sent to Redis for this node's clients, in order. */
  readonly bus: BusOutbox;
  /** The highest session id this process has handed out. */
  maxIssued = 0;
  /** No session id is handed out before this time (`performance.now()`). */
  idsFrom = 0;
  #parts: {
    rooms: ClusterRooms;
    sessions: ClusterSessions;
    ids: ClusterIds;
    remote: ClusterRecipients;
  } | null = null;

  private constructor(options: ClusterNodeOptions) {
    this.#options = options;
    this.keys = new ClusterKeys(options.target.prefix);
    this.logger = options.logger;
    this.#heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.#ttlMs = options.ttlMs ?? DEFAULT_NODE_TTL_MS;
    // Every node still running notices the loss within the TTL and retries
    // every reconnectMs: twice that, for a loaded machine.
    this.#recoveryMs = 2 *
      (this.#ttlMs + (options.reconnectMs ?? DEFAULT_RECONNECT_MS));
    this.bus = new BusOutbox({
      shown: options.target.shown,
      logger: options.logger,
      maxPendingBytes: options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES,
      onScriptsLost: () => this.#lose("scripts flushed from Redis"),
    });
  }

  /**
   * Joins the deployment: connects, takes a node id, announces it.
   *
   * @throws {UnavailableError} when Redis cannot be reached.
   */
  static async connect(options: ClusterNodeOptions): Promise<ClusterNode> {
    const node = new ClusterNode(options);
    await node.#up(await RedisLink.connect(options.target));
    node.#timer = setInterval(() => node.#beat(), node.#heartbeatMs);
    return node;
  }

  /** This node's id (a new one after each loss of Redis). */
  get id(): number {
    return this.#id;
  }

  /** Whether Redis is reachable now. */
  get up(): boolean {
    return this.#link !== null;
  }

  /** Where Redis is, for messages. */
  get shown(): string {
    return this.#options.target.shown;
  }

  parts(options: { limits: Limits; logger: Logger }): DeploymentParts {
    if (this.#parts !== null) throw new Error("a node serves one server");
    const rooms = new ClusterRooms(this, options.limits);
    const sessions = new ClusterSessions(rooms, this);
    rooms.bind(sessions);
    this.#parts = {
      rooms,
      sessions,
      ids: new ClusterIds(this),
      remote: new ClusterRecipients(this, sessions, options.limits),
    };
    return this.#parts;
  }

  async #up(link: RedisLink): Promise<void> {
    const old = this.#id;
    try {
      for (const script of Object.values(SCRIPTS)) {
        await link.command(["SCRIPT", "LOAD", script.source]);
      }
      this.#id = Number(await link.command(["INCR", this.keys.nodeSeq]));
      this.#token = crypto.randomUUID();
      // Back to a Redis that lost its data: until every node still running
      // has come back and raised the counter to what it handed out (each
      // retries every reconnectMs), no node hands out an id. The first node
      // back says so in Redis, for all of them: a node that came back later
      // finds the counter there already, raised only by those before it.
      const counter = await link.command(["EXISTS", this.keys.sessionSeq]);
      if (old !== 0 && Number(counter) === 0) {
        await link.command([
          "SET",
          this.keys.recovering,
          "1",
          "PX",
          `${this.#recoveryMs}`,
          "NX",
        ]);
      }
      const recovering = Number(
        await link.command(["PTTL", this.keys.recovering]),
      );
      if (recovering > 0) {
        this.idsFrom = Math.max(this.idsFrom, performance.now() + recovering);
      }
      if (old !== 0) await link.run(SCRIPTS.reap, [this.keys.prefix, `${old}`]);
      await link.run(SCRIPTS.heartbeat, this.#beatArgs(true));
      await link.subscribe(
        this.keys.nodeChannel(this.#id),
        (data) => this.#parts?.remote.received(data),
      );
    } catch (error) {
      link.destroy();
      throw new UnavailableError(
        `cannot join the deployment at ${this.shown}: ${message(error)}`,
        { cause: error },
      );
    }
    this.#beating = false;
    this.#link = link;
    this.bus.attach(link);
    link.onLost((error) => this.#lose(`connection lost: ${error.message}`));
    this.logger.info("cluster.up", {
      node: this.#id,
      redis: this.shown,
      old_node: old || undefined,
    });
  }

  #beatArgs(announce: boolean): string[] {
    return [
      this.keys.prefix,
      `${this.#id}`,
      this.#token,
      `${this.#ttlMs}`,
      `${this.maxIssued}`,
      announce ? "1" : "0",
    ];
  }

  #beat(): void {
    const link = this.#link;
    if (link === null) return;
    if (this.#beating) {
      // A closed connection is not always reported (node-redis stays quiet
      // when it may not reconnect), so an unanswered heartbeat is the sign.
      // Decided after pending I/O, so that an answer that came during a
      // stall of this process is read first.
      if (performance.now() - this.#beatSentAt > this.#ttlMs) {
        setImmediate(() => {
          if (
            this.#link === link && this.#beating &&
            performance.now() - this.#beatSentAt > this.#ttlMs
          ) this.#lose("no answer from Redis within the TTL");
        });
      }
      return;
    }
    this.#beating = true;
    this.#beatSentAt = performance.now();
    // The other two connections answer too (on the commands connection,
    // a PING behind what is queued).
    Promise.all([
      link.beat(SCRIPTS.heartbeat, this.#beatArgs(false)),
      link.command(["PING"]),
      link.pingSubscriber(),
    ]).then(([reply]) => {
      this.#beating = false;
      if (this.#link !== link) return;
      const reaped = Number(reply);
      if (reaped === -1) {
        this.#lose("reaped by the deployment (missed heartbeats)");
        return;
      }
      if (reaped > 0) this.logger.warn("cluster.reaped", { nodes: reaped });
    }, (error) => {
      this.#beating = false;
      // A closed connection refuses commands at once (nothing is queued
      // while offline): a failed heartbeat is a lost link.
      if (this.#link === link) {
        this.#lose(`heartbeat failed: ${message(error)}`);
      }
    });
  }

  /** Redis is gone (or this node was reaped): end every session, retry. */
  #lose(reason: string): void {
    const link = this.#link;
    if (link === null) return;
    this.#link = null;
    link.destroy();
    this.bus.attach(null);
    this.logger.error("cluster.down", { node: this.#id, reason });
    this.#parts?.sessions.endAll(
      "the deployment's shared store (Redis) was lost; log in again shortly",
    );
    this.#parts?.rooms.reset();
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closing) return;
    this.#retry = setTimeout(async () => {
      try {
        await this.#up(await RedisLink.connect(this.#options.target));
      } catch (error) {
        this.logger.debug("cluster.retry", { error: errorField(error) });
        this.#scheduleRetry();
      }
    }, this.#options.reconnectMs ?? DEFAULT_RECONNECT_MS);
  }

  /**
   * Leaves the deployment: waits for what was sent, forgets this node (its
   * remaining sessions leave their rooms), closes the link. Call after the
   * server has closed.
   */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#timer);
    clearTimeout(this.#retry);
    this.bus.flush();
    const link = this.#link;
    this.#link = null;
    if (link === null) return;
    try {
      await link.run(SCRIPTS.reap, [this.keys.prefix, `${this.#id}`]);
    } catch (error) {
      this.logger.warn("cluster.leave_failed", { error: errorField(error) });
    }
    await link.close();
    this.logger.info("cluster.left", { node: this.#id });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
