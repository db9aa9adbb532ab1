/**
 * A node's two connections to Redis: one for commands and scripts, one for
 * subscriptions (pub/sub needs a connection of its own). Built on
 * `npm:@redis/client` (node-redis), chosen by measurement (docs/cluster.md,
 * "The Redis client").
 *
 * The link never reconnects by itself: a lost connection means pub/sub
 * messages may have been lost, so the node must start over (new node id,
 * sessions ended); it makes a new link. Commands are not queued while
 * disconnected, and have no client-side timeout: publishes are bounded by
 * the node's own cap on pending bytes, and liveness is judged by the
 * heartbeat.
 *
 * @example
 * ```ts
 * import { RedisLink } from "./redis_link.ts";
 * console.assert(typeof RedisLink.connect === "function");
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import { createClient, type RedisClientType } from "@redis/client";
import type { Script } from "./scripts.ts";
import type { ClusterTarget } from "./cluster_url.ts";
import { UnavailableError } from "../sessions/session_ids.ts";

/** A value Redis takes as an argument. */
export type RedisArg = string | Uint8Array;

/** How long connecting may take before it counts as a failure. */
const CONNECT_TIMEOUT_MS = 2_000;

type Client = RedisClientType;

/** Commands and subscriptions over two connections. */
export class RedisLink {
  readonly #commands: Client;
  readonly #subscriber: Client;
  #down: ((error: Error) => void) | null = null;
  #lost = false;

  private constructor(commands: Client, subscriber: Client) {
    this.#commands = commands;
    this.#subscriber = subscriber;
    for (const client of [commands, subscriber]) {
      // node-redis emits `error` for every failure; without a listener the
      // process would throw.
      client.on("error", (error: Error) => this.#lose(error));
      client.on("end", () => this.#lose(new Error("connection closed")));
    }
  }

  /**
   * Opens both connections.
   *
   * @throws {UnavailableError} when Redis cannot be reached.
   */
  static async connect(target: ClusterTarget): Promise<RedisLink> {
    const make = () =>
      createClient({
        url: target.url,
        password: target.password,
        disableOfflineQueue: true,
        commandOptions: { timeout: 0 },
        socket: {
          reconnectStrategy: false,
          connectTimeout: CONNECT_TIMEOUT_MS,
          ...(target.tls ? { tls: true, ca: target.ca } : {}),
        },
      }) as unknown as Client;
    const commands = make();
    const subscriber = make();
    // Failures while connecting are reported by connect()'s rejection.
    const ignore = () => {};
    commands.on("error", ignore);
    subscriber.on("error", ignore);
    try {
      await Promise.all([commands.connect(), subscriber.connect()]);
    } catch (error) {
      commands.destroy();
      subscriber.destroy();
      throw new UnavailableError(
        `cannot reach Redis at ${target.shown}: ${message(error)}`,
        { cause: error },
      );
    } finally {
      commands.off("error", ignore);
      subscriber.off("error", ignore);
    }
    return new RedisLink(commands, subscriber);
  }

  /** True once either connection has failed. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Calls `handler` once, when either connection fails. */
  onLost(handler: (error: Error) => void): void {
    this.#down = handler;
  }

  #lose(error: Error): void {
    if (this.#lost) return;
    this.#lost = true;
    this.#commands.destroy();
    this.#subscriber.destroy();
    this.#down?.(error);
  }

  /** Sends one command; the reply as node-redis gives it (strings, numbers, arrays). */
  command(args: readonly RedisArg[]): Promise<unknown> {
    // node-redis takes strings and Buffers (a plain Uint8Array would be
    // sent as its text form): wrap bytes in a Buffer view, not a copy.
    const sent = args.map((arg) =>
      typeof arg === "string" || Buffer.isBuffer(arg)
        ? arg
        : Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength)
    );
    return this.#commands.sendCommand(sent as string[]);
  }

  /**
   * Runs `script` by its SHA-1. The scripts are loaded when the node
   * connects: falling back to EVAL after a NOSCRIPT answer would send the
   * script after commands sent later, out of order.
   */
  run(script: Script, args: readonly RedisArg[]): Promise<unknown> {
    return this.command(["EVALSHA", script.sha, "0", ...args]);
  }

  /** Subscribes `channel`; `listener` gets each message's bytes. */
  subscribe(
    channel: string,
    listener: (message: Uint8Array) => void,
  ): Promise<void> {
    return this.#subscriber.subscribe(channel, listener, true);
  }

  /** Unsubscribes `listener` from `channel`. */
  unsubscribe(
    channel: string,
    listener: (message: Uint8Array) => void,
  ): Promise<void> {
    return this.#subscriber.unsubscribe(channel, listener, true);
  }

  /** Sends what is pending and closes both connections. */
  async close(): Promise<void> {
    if (this.#lost) return;
    this.#lost = true;
    await Promise.allSettled([
      this.#commands.close(),
      this.#subscriber.close(),
    ]);
  }

  /** Drops both connections at once. */
  destroy(): void {
    this.#lost = true;
    this.#commands.destroy();
    this.#subscriber.destroy();
  }
}

/** An error's message, whatever was thrown. */
export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
