/**
 * A room's shared scene of network objects, over a {@linkcode RelayClient}:
 * join, instantiate, change fields (sent per tick, only what changed),
 * claim ownership, destroy, and follow what the others do. The wire format
 * and the rules are in docs/network-objects.md.
 *
 * @example
 * ```ts ignore
 * import { NetworkScene, RelayClient, vec3, vec4 } from "../mod.ts";
 * await using client = await RelayClient.connect({ port: 7777 });
 * await client.login("ada");
 * await using scene = await NetworkScene.join(client, "lobby", { tickHz: 20 });
 * scene.on("created", (obj) => console.log("new", obj.id, obj.type));
 * scene.on("updated", (obj, fields) => console.log(obj.id, fields, obj.get("pos")));
 * const avatar = scene.instantiate(
 *   "avatar",
 *   { pos: vec3(0, 0, 0), rot: vec4(0, 0, 0, 1), name: "ada" },
 *   { boundToOwner: true },
 * );
 * avatar.set("pos", vec3(1, 0, 0)); // sent at the next tick
 * const door = scene.get("-1-1");   // a scene object, owned by the master
 * if (door && await scene.takeOwnership(door.id)) door.set("open", true);
 * ```
 * @module
 */
import { NotLoggedInError } from "../errors.ts";
import { type Incoming, payloadText } from "../incoming.ts";
import type { RelayClient } from "../relay_client.ts";
import type { Fields, FieldValue } from "./field_value.ts";
import { NetworkObject } from "./network_object.ts";
import { SceneEngine } from "./scene_engine.ts";
import { clientOutbox } from "./scene_outbox.ts";
import { SceneClosedError } from "./scene_errors.ts";
import { SceneEmitter, type SceneEventMap } from "./scene_events.ts";
import { resolveSceneOptions, type SceneOptions } from "./scene_options.ts";
import type { ObjectState } from "./object_state.ts";

/** Options of {@linkcode NetworkScene.instantiate}. */
export interface InstantiateOptions {
  /** Destroy the object when its owner leaves (an avatar), instead of the master adopting it. */
  readonly boundToOwner?: boolean;
}

/** One object as {@linkcode NetworkScene.snapshot} lists it. */
export interface ObjectSnapshot {
  readonly id: string;
  readonly type: string;
  readonly owner: number;
  readonly boundToOwner: boolean;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/** A room's shared scene, as one client takes part in it. */
export class NetworkScene implements AsyncDisposable {
  /** The room. */
  readonly room: string;
  /** Our session id. */
  readonly self: number;
  readonly #client: RelayClient;
  readonly #engine: SceneEngine;
  readonly #events = new SceneEmitter<SceneEventMap>();
  readonly #handles = new Map<string, NetworkObject>();
  readonly #unsubscribe: () => void;
  #timer: ReturnType<typeof setInterval> | undefined;
  #inRoom = false;
  #ended = false;

  private constructor(
    client: RelayClient,
    room: string,
    self: number,
    options: SceneOptions,
  ) {
    this.#client = client;
    this.room = room;
    this.self = self;
    const resolved = resolveSceneOptions(options);
    this.#engine = new SceneEngine({
      self,
      members: () => client.members,
      now: () => performance.now(),
      options: resolved,
      outbox: clientOutbox(client, (error) => this.#failed(error)),
      events: {
        created: (s) => this.#events.emit("created", this.#handle(s)),
        updated: (s, f) => this.#events.emit("updated", this.#handle(s), f),
        owner: (s, p) => this.#events.emit("owner", this.#handle(s), p),
        destroyed: (s) => {
          const handle = this.#handle(s);
          this.#handles.delete(s.id);
          this.#events.emit("destroyed", handle);
        },
      },
    });
    this.#unsubscribe = client.onMessage((incoming) => this.#receive(incoming));
    client.closed.then((info) =>
      this.#end(
        new SceneClosedError("the connection closed", { cause: info.error }),
      )
    );
    this.#timer = setInterval(
      () => this.#engine.tick(),
      1000 / resolved.tickHz,
    );
  }

  /**
   * Joins `room` with a logged-in `client` and catches up with its scene:
   * resolves once this client has every object and takes part.
   *
   * @throws {NotLoggedInError} when the client is not logged in.
   * @throws {RefusedError} when the server refuses the join.
   * @throws {SceneSyncError} when catching up fails (`sync-timeout`, `sync-overflow`).
   * @throws {InvalidArgumentError} for bad options.
   */
  static async join(
    client: RelayClient,
    room: string,
    options: SceneOptions = {},
  ): Promise<NetworkScene> {
    const self = client.sessionId;
    if (self === null) throw new NotLoggedInError("join a scene");
    const scene = new NetworkScene(client, room, self, options);
    let joined = false;
    try {
      await client.join(room, options.password);
      joined = true;
      scene.#engine.start();
      await scene.#engine.ready;
      return scene;
    } catch (error) {
      const inRoom = joined && !scene.#ended && client.room === room;
      scene.#end(error instanceof Error ? error : null);
      if (inRoom && !client.isClosed) await client.leave().catch(() => {});
      throw error;
    }
  }

  /** Every object, by id. */
  get objects(): ReadonlyMap<string, NetworkObject> {
    const all = new Map<string, NetworkObject>();
    for (const state of this.#engine.table.values()) {
      all.set(state.id, this.#handle(state));
    }
    return all;
  }

  /** The object `id`, if it is in the scene. */
  get(id: string): NetworkObject | undefined {
    const state = this.#engine.table.get(id);
    return state === undefined ? undefined : this.#handle(state);
  }

  /** The scene's participants (us included), in the room's join order. */
  get participants(): readonly number[] {
    return this.#engine.participants;
  }

  /** The scene's master: adopts the objects of participants who leave. */
  get master(): number | null {
    return this.#engine.master;
  }

  /** Scene messages ignored as malformed or from outsiders. */
  get ignored(): number {
    return this.#engine.ignored;
  }

  /** True when nothing of ours waits: no unsent change, claim, destroy or reliable update. */
  get idle(): boolean {
    return this.#engine.local.idle;
  }

  /** True once the scene has ended (left, or the connection closed). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Creates an object owned by this client; everyone in the room gets it.
   * Field types are fixed from these values.
   *
   * @throws {InvalidArgumentError} for a bad type name, field name or value.
   * @throws {TooManyObjectsError} when the scene holds `maxObjects`.
   * @throws {SceneClosedError} once the scene has ended.
   */
  instantiate(
    type: string,
    fields: Fields,
    options: InstantiateOptions = {},
  ): NetworkObject {
    const state = this.#engine.instantiate(
      type,
      fields,
      options.boundToOwner ?? false,
    );
    return this.#handle(state);
  }

  /**
   * Claims `id` in the room's order. This client acts as owner at once;
   * resolves true if it owns the object once its claim has come back, false
   * if another claim came first (its changes meanwhile are dropped).
   *
   * @throws {UnknownObjectError} when there is no such object.
   */
  takeOwnership(id: string): Promise<boolean> {
    this.#mustBeOpen();
    return this.#engine.local.takeOwnership(id);
  }

  /**
   * Destroys `id` in the room's order; resolves true once applied, false if
   * the object had changed hands or gone first.
   *
   * @throws {NotOwnerError} unless this client owns or has claimed it.
   * @throws {UnknownObjectError} when there is no such object.
   */
  destroy(id: string): Promise<boolean> {
    this.#mustBeOpen();
    return this.#engine.local.destroy(id);
  }

  /** Sends the changes collected so far now, without waiting for the tick. */
  flush(): void {
    this.#mustBeOpen();
    this.#engine.local.sendDue(performance.now());
  }

  /** Calls `listener` on `event`; returns the unsubscriber. */
  on<K extends keyof SceneEventMap>(
    event: K,
    listener: SceneEventMap[K],
  ): () => void {
    return this.#events.on(event, listener);
  }

  /** Every object sorted by id, with its confirmed owner and values: equal on every client once traffic settles. */
  snapshot(): ObjectSnapshot[] {
    return [...this.#engine.table.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((s) => ({
        id: s.id,
        type: s.type,
        owner: s.owner,
        boundToOwner: s.boundToOwner,
        fields: s.fields(),
      }));
  }

  /** Sends what is pending, then leaves the room; the scene ends. */
  async leave(): Promise<void> {
    if (this.#ended) return;
    this.#engine.local.sendDue(performance.now());
    try {
      if (this.#client.room === this.room && !this.#client.isClosed) {
        await this.#client.leave();
      }
    } finally {
      this.#end(null);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.leave();
  }

  #handle(state: ObjectState): NetworkObject {
    let handle = this.#handles.get(state.id);
    if (handle === undefined) {
      handle = new NetworkObject(state, {
        state: (id) => this.#engine.table.get(id),
        local: this.#engine.local,
      });
      this.#handles.set(state.id, handle);
    }
    return handle;
  }

  #receive({ message }: Incoming): void {
    if (this.#ended) return;
    switch (message.kind) {
      case "joined":
        if (message.id === this.self) {
          if (this.#inRoom || message.room !== this.room) {
            this.#end(
              new SceneClosedError(`joined another room (${message.room})`),
            );
          } else {
            this.#inRoom = true;
          }
        } else if (this.#inRoom) {
          this.#engine.joined(message.id);
        }
        return;
      case "left":
        if (!this.#inRoom) return;
        if (message.id === this.self) this.#end(null);
        else this.#engine.left(message.id);
        return;
      case "message":
        if (this.#inRoom) {
          this.#engine.receive(message.from, payloadText(message.payload));
        }
        return;
      case "logged-out":
      case "welcome":
        if (this.#inRoom) this.#end(new SceneClosedError("the session ended"));
        return;
    }
  }

  #failed(error: unknown): void {
    if (this.#ended || this.#client.isClosed) return;
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.#events.has("error")) this.#events.emit("error", err);
    else reportError(err);
  }

  #mustBeOpen(): void {
    if (this.#ended) throw new SceneClosedError();
  }

  #end(reason: Error | null): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe();
    this.#engine.end(reason ?? new SceneClosedError());
    this.#events.emit("closed", reason);
  }
}
