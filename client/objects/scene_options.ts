/**
 * The options of a network scene and its limits, with their defaults.
 *
 * @example
 * ```ts
 * import { resolveSceneOptions } from "./scene_options.ts";
 * const options = resolveSceneOptions({ tickHz: 30 });
 * console.assert(options.tickHz === 30 && options.channel === "tcp");
 * ```
 * @module
 */
import type { ChannelName } from "../channel.ts";
import { InvalidArgumentError } from "../errors.ts";
import type { Fields } from "./field_value.ts";
import { checkTypeName, describeFields } from "./object_description.ts";

/** A scene object every client declares: id `-1-<n>` for the nth, from 1. */
export interface SceneObjectSpec {
  /** The object's type name. */
  readonly type: string;
  /** Its fields and their initial values. */
  readonly fields: Fields;
}

/** The scene's limits. */
export interface SceneLimits {
  /** Objects in the scene; instantiating more throws, more from others are ignored. */
  readonly maxObjects: number;
  /** Bytes of one object's description (`I` payload): bounds strings and byte arrays. */
  readonly maxObjectBytes: number;
  /** Bytes of one TCP payload the scene sends (`U` and `S` are split to fit). */
  readonly maxPayloadBytes: number;
  /** Bytes of one update sent over UDP (the server's datagram cap is 1200 with `3:0:`). */
  readonly maxDatagramPayloadBytes: number;
  /** Messages kept while catching up on joining, before the join fails. */
  readonly maxSyncBuffered: number;
}

/** How a scene behaves. */
export interface SceneOptions {
  /** The room's password, for a private room. */
  readonly password?: string;
  /** Update ticks per second: changes are collected and sent this often. Default 20. */
  readonly tickHz?: number;
  /**
   * The channel for updates; default `"tcp"`. With `"udp"`, updates go over
   * the client's UDP channel while it is open (`client.openUdp()`; TCP while
   * it is not, or when a send fails), and each object sent over UDP gets a
   * full TCP update once it has not changed for `reliableAfterMs`.
   */
  readonly channel?: ChannelName;
  /** Quiet time after which an object sent over UDP gets its reliable update. Default 250. */
  readonly reliableAfterMs?: number;
  /**
   * How long a joiner waits for answers from members that may not be scene
   * clients at all (a `connect` user in the room). Default 3000.
   */
  readonly syncTimeoutMs?: number;
  /** The scene objects; every client of the room must declare the same. */
  readonly sceneObjects?: readonly SceneObjectSpec[];
  /** Overrides of {@linkcode DEFAULT_SCENE_LIMITS}. */
  readonly limits?: Partial<SceneLimits>;
}

/** Options with every default filled in. */
export interface ResolvedSceneOptions {
  readonly password: string;
  readonly tickHz: number;
  readonly channel: ChannelName;
  readonly reliableAfterMs: number;
  readonly syncTimeoutMs: number;
  readonly sceneObjects: readonly SceneObjectSpec[];
  readonly limits: SceneLimits;
}

/** The default limits. */
export const DEFAULT_SCENE_LIMITS: Readonly<SceneLimits> = Object.freeze({
  maxObjects: 10_000,
  maxObjectBytes: 16 * 1024,
  maxPayloadBytes: 60 * 1024,
  maxDatagramPayloadBytes: 1196,
  maxSyncBuffered: 100_000,
});

/**
 * Fills in the defaults and checks the scene objects' specs.
 *
 * @throws {InvalidArgumentError} for a value out of range or a bad spec.
 */
export function resolveSceneOptions(
  options: SceneOptions = {},
): ResolvedSceneOptions {
  const limits = { ...DEFAULT_SCENE_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) positive(name, value);
  if (limits.maxObjectBytes > limits.maxPayloadBytes - 64) {
    throw new InvalidArgumentError(
      "maxObjectBytes must leave 64 bytes of maxPayloadBytes for headers",
    );
  }
  const resolved = {
    password: options.password ?? "",
    tickHz: options.tickHz ?? 20,
    channel: options.channel ?? "tcp",
    reliableAfterMs: options.reliableAfterMs ?? 250,
    syncTimeoutMs: options.syncTimeoutMs ?? 3000,
    sceneObjects: options.sceneObjects ?? [],
    limits,
  };
  if (!(resolved.tickHz > 0 && resolved.tickHz <= 1000)) {
    throw new InvalidArgumentError(
      `tickHz ${resolved.tickHz} is not in (0, 1000]`,
    );
  }
  if (resolved.channel !== "tcp" && resolved.channel !== "udp") {
    throw new InvalidArgumentError(
      `channel ${resolved.channel} is not tcp or udp`,
    );
  }
  positive("reliableAfterMs", resolved.reliableAfterMs);
  positive("syncTimeoutMs", resolved.syncTimeoutMs);
  for (const spec of resolved.sceneObjects) {
    checkTypeName(spec.type);
    describeFields(spec.fields);
  }
  return resolved;
}

function positive(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(
      `scene option ${name} must be a positive integer, got ${value}`,
    );
  }
}
