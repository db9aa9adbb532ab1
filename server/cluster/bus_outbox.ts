/**
 * Everything a node sends to Redis for its clients, over the link's one
 * commands connection and so in order: scripts, commands, and room messages
 * (consecutive ones to one channel coalesced into one PUBLISH). It counts
 * the bytes sent and not yet answered, so that senders wait past a bound
 * instead of outrunning Redis.
 *
 * @example
 * ```ts
 * import { BusOutbox } from "./bus_outbox.ts";
 * import { createLogger } from "../logger.ts";
 * const outbox = new BusOutbox({
 *   shown: "redis://127.0.0.1:6379",
 *   logger: createLogger({ level: "silent" }),
 *   maxPendingBytes: 1024,
 *   onScriptsLost() {},
 * });
 * console.assert(outbox.pressure() === undefined);
 * ```
 * @module
 */
import { errorField, type Logger } from "../logger.ts";
import { UnavailableError } from "../sessions/session_ids.ts";
import { message, type RedisArg, type RedisLink } from "./redis_link.ts";
import type { Script } from "./scripts.ts";

/** Room messages published as one PUBLISH, at most (bytes). */
const MAX_BATCH_BYTES = 64 * 1024;

/** Options of {@linkcode BusOutbox}. */
export interface BusOutboxOptions {
  /** Where Redis is, for messages. */
  readonly shown: string;
  readonly logger: Logger;
  /** Bytes sent and not yet answered before senders wait. */
  readonly maxPendingBytes: number;
  /** Redis answered NOSCRIPT: the link must be given up. */
  onScriptsLost(): void;
}

/** A node's ordered way to Redis. */
export class BusOutbox {
  readonly #options: BusOutboxOptions;
  #link: RedisLink | null = null;
  #pendingBytes = 0;
  #drained: PromiseWithResolvers<void> | null = null;
  /** Room messages for one channel, not yet published (see publish). */
  #batch: Uint8Array[] = [];
  #batchBytes = 0;
  #batchChannel: string | null = null;
  #flushQueued = false;

  /** An outbox with no link yet. */
  constructor(options: BusOutboxOptions) {
    this.#options = options;
  }

  /** The link in use, or null while Redis is away. */
  get link(): RedisLink | null {
    return this.#link;
  }

  /**
   * Uses `link` from now on; null drops what was not sent and wakes every
   * waiting sender (Redis is gone).
   */
  attach(link: RedisLink | null): void {
    this.#link = link;
    if (link !== null) return;
    this.#pendingBytes = 0;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#batchChannel = null;
    this.#wake();
  }

  #linkOrThrow(): RedisLink {
    const link = this.#link;
    if (link === null) {
      throw new UnavailableError(
        `Redis at ${this.#options.shown} is unreachable`,
      );
    }
    return link;
  }

  /**
   * Runs a script and waits for its answer.
   *
   * @throws {UnavailableError} while Redis is unreachable.
   */
  async run(script: Script, args: readonly RedisArg[]): Promise<unknown> {
    this.flush();
    const link = this.#linkOrThrow();
    try {
      return await this.#counted(link.run(script, args), args);
    } catch (error) {
      if (this.#link !== link || link.lost) {
        throw new UnavailableError(`Redis at ${this.#options.shown} was lost`, {
          cause: error,
        });
      }
      if (message(error).startsWith("NOSCRIPT")) {
        // Someone flushed the scripts: order can no longer be kept.
        this.#options.onScriptsLost();
      }
      throw error;
    }
  }

  /**
   * Sends one command and waits for its answer.
   *
   * @throws {UnavailableError} while Redis is unreachable.
   */
  async command(args: readonly RedisArg[]): Promise<unknown> {
    this.flush();
    const link = this.#linkOrThrow();
    try {
      return await this.#counted(link.command(args), args);
    } catch (error) {
      throw new UnavailableError(
        `Redis at ${this.#options.shown}: ${message(error)}`,
        { cause: error },
      );
    }
  }

  /** Runs a script without waiting (in order with everything else sent). */
  fire(script: Script, args: readonly RedisArg[]): void {
    this.run(script, args).catch((error) => this.#fireFailed(error));
  }

  /**
   * PUBLISHes without waiting. Messages published one after the other to
   * the same channel (the lines of one chunk from a client, say) go out as
   * one PUBLISH of their concatenation, at the end of the turn or before
   * any other command: the order of everything sent stays the same, with a
   * fraction of the commands. Only room messages are published this way;
   * each starts with its type byte and ends with the line's `\n`.
   */
  publish(channel: string, data: Uint8Array): void {
    if (this.#batchChannel !== channel) this.flush();
    this.#batchChannel = channel;
    this.#batch.push(data);
    this.#batchBytes += data.length;
    if (this.#batchBytes >= MAX_BATCH_BYTES) this.flush();
    else if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flushAtEndOfTurn);
    }
  }

  #flushAtEndOfTurn = (): void => {
    this.#flushQueued = false;
    this.flush();
  };

  /** Sends the room messages not yet published. */
  flush(): void {
    const batch = this.#batch;
    if (batch.length === 0) return;
    const channel = this.#batchChannel!;
    let data = batch[0]!;
    if (batch.length > 1) {
      data = new Uint8Array(this.#batchBytes);
      let offset = 0;
      for (const part of batch) {
        data.set(part, offset);
        offset += part.length;
      }
    }
    this.#batch = [];
    this.#batchBytes = 0;
    this.#batchChannel = null;
    this.command(["PUBLISH", channel, data]).catch((error) =>
      this.#fireFailed(error)
    );
  }

  #fireFailed(error: unknown): void {
    // While Redis is away the node is ending its sessions anyway.
    if (error instanceof UnavailableError) return;
    this.#options.logger.error("cluster.command_failed", {
      error: errorField(error),
    });
  }

  #counted<T>(reply: Promise<T>, args: readonly RedisArg[]): Promise<T> {
    let bytes = 0;
    for (const arg of args) bytes += arg.length;
    this.#pendingBytes += bytes;
    const done = () => {
      this.#pendingBytes -= bytes;
      if (this.#pendingBytes <= this.#options.maxPendingBytes >> 2) {
        this.#wake();
      }
    };
    reply.then(done, done);
    return reply;
  }

  #wake(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.resolve();
  }

  /** A promise while too much waits for Redis's answers, else undefined. */
  pressure(): Promise<void> | undefined {
    if (this.#pendingBytes <= this.#options.maxPendingBytes) return undefined;
    this.#drained ??= Promise.withResolvers<void>();
    return this.#drained.promise;
  }

  /** Subscribes a channel on the current link. */
  subscribe(
    channel: string,
    listener: (data: Uint8Array) => void,
  ): Promise<void> {
    return this.#linkOrThrow().subscribe(channel, listener);
  }

  /** Unsubscribes a channel; nothing to do while Redis is away. */
  unsubscribe(
    channel: string,
    listener: (data: Uint8Array) => void,
  ): Promise<void> {
    const link = this.#link;
    if (link === null) return Promise.resolve();
    return link.unsubscribe(channel, listener).catch(() => {});
  }
}
