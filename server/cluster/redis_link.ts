/**
 * A node's three connections to Redis: one for commands and scripts (in
 * order: everything a node sends for its clients), one for subscriptions
 * (pub/sub needs a connection of its own), and one for the heartbeat, so
 * that a backlog of commands never makes the heartbeat late. Built on
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
import type { RedisClientType } from "@redis/client";
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
  readonly #beats: Client;
  #down: ((error: Error) => void) | null = null;
  #lost = false;

  private constructor(commands: Client, subscriber: Client, beats: Client) {
    this.#commands = commands;
    this.#subscriber = subscriber;
    this.#beats = beats;
    for (const client of [commands, subscriber, beats]) {
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
    // Loaded on first use: it takes over a second to load here, which a
    // server without --cluster should not pay at every start. A literal
    // npm: specifier (the version pinned in deno.json), so `deno compile`
    // still includes it (tests/cli/compile_test.ts checks that form).
    // deno-lint-ignore no-import-prefix
    const { createClient } = await import("npm:@redis/client@6.3.1");
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
    const clients = [make(), make(), make()] as const;
    // Failures while connecting are reported by connect()'s rejection.
    const ignore = () => {};
    for (const client of clients) client.on("error", ignore);
    try {
      await Promise.all(clients.map((client) => client.connect()));
    } catch (error) {
      for (const client of clients) client.destroy();
      throw new UnavailableError(
        `cannot reach Redis at ${target.shown}: ${message(error)}`,
        { cause: error },
      );
    } finally {
      for (const client of clients) client.off("error", ignore);
    }
    return new RedisLink(...clients);
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
    this.destroy();
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

  /** Runs the heartbeat script on the heartbeat's own connection. */
  beat(script: Script, args: readonly string[]): Promise<unknown> {
    return this.#beats.sendCommand(["EVALSHA", script.sha, "0", ...args]);
  }

  /**
   * PINGs the subscriber connection: in Deno, node-redis reports no closed
   * socket when it may not reconnect, so only an answer shows it is alive.
   */
  pingSubscriber(): Promise<unknown> {
    return this.#subscriber.sendCommand(["PING"]);
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
      this.#beats.close(),
    ]);
  }

  /** Drops every connection at once. */
  destroy(): void {
    this.#lost = true;
    for (const client of [this.#commands, this.#subscriber, this.#beats]) {
      if (client.isOpen) client.destroy();
    }
  }
}

/** An error's message, whatever was thrown. */
export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
