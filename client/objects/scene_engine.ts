/**
 * The network-object state machine of one client, without I/O: it is fed
 * the room's lines in the order they arrive and calls its outbox to send.
 * {@linkcode NetworkScene} drives it over a {@linkcode RelayClient}; tests
 * drive it directly.
 *
 * Phases: `hello` (our hello is on its way; we answer others' hellos with
 * "not a participant"), `syncing` (catching up, see {@linkcode SceneSync}),
 * `synced` (caught up; our `R` is on its way), `participant`, `ended`.
 *
 * @example
 * ```ts
 * import { SceneEngine } from "./scene_engine.ts";
 * import { resolveSceneOptions } from "./scene_options.ts";
 * const sent: string[] = [];
 * const engine = new SceneEngine({
 *   self: 1, members: () => [1], now: () => 0, options: resolveSceneOptions(),
 *   outbox: { ordered: (p) => sent.push(p), update: (p) => sent.push(p), to: (_, p) => sent.push(p) },
 * });
 * engine.start();
 * engine.receive(1, "H 0"); // our hello came back: alone, so caught up
 * engine.receive(1, "R");   // our ready came back: we take part
 * console.assert(engine.phase === "participant" && sent.join("|") === "H 0|R");
 * ```
 * @module
 */
import type { Fields } from "./field_value.ts";
import { ObjectTable } from "./object_table.ts";
import { LocalOwner } from "./local_owner.ts";
import { decodeSceneMessage, encodeSceneMessage } from "./scene_codec.ts";
import {
  SceneClosedError,
  SceneErrorCode,
  SceneSyncError,
} from "./scene_errors.ts";
import type { SceneMessage } from "./scene_message.ts";
import type { ResolvedSceneOptions } from "./scene_options.ts";
import { type Buffered, SceneSync } from "./scene_sync.ts";
import { type SceneEvents, SceneState } from "./scene_state.ts";
import type { SceneOutbox } from "./scene_outbox.ts";

/** What a {@linkcode SceneEngine} needs. */
export interface SceneEngineInit {
  /** Our session id. */
  readonly self: number;
  /** The room's members now, in join order. */
  members(): readonly number[];
  /** The clock, in milliseconds. */
  now(): number;
  readonly options: ResolvedSceneOptions;
  readonly outbox: SceneOutbox;
  readonly events?: SceneEvents;
}

/** The engine's phase. */
export type ScenePhase =
  | "hello"
  | "syncing"
  | "synced"
  | "participant"
  | "ended";

/** One client's scene: its table, the catch-up, and the rules. */
export class SceneEngine {
  readonly self: number;
  readonly #init: SceneEngineInit;
  readonly #options: ResolvedSceneOptions;
  readonly #events: SceneEvents;
  #phase: ScenePhase = "hello";
  #tag = 0;
  #sync: SceneSync | null = null;
  /** The replicated state, once caught up. */
  #state: SceneState | null = null;
  readonly #empty: ObjectTable;
  readonly #local: LocalOwner;
  #ignored = 0;
  #ready: PromiseWithResolvers<void> = Promise.withResolvers();
  /** Answers that arrived before our hello came back. */
  readonly #early: { from: number; msg: SceneMessage }[] = [];

  /** An engine in phase `hello`; call {@linkcode start} to send the hello. */
  constructor(init: SceneEngineInit) {
    this.self = init.self;
    this.#init = init;
    this.#options = init.options;
    this.#events = init.events ?? {};
    this.#empty = new ObjectTable(1);
    this.#local = new LocalOwner({
      self: init.self,
      options: init.options,
      outbox: init.outbox,
      table: () => this.table,
      updated: (state, changed) => this.#events.updated?.(state, changed),
      created: (state) => this.#events.created?.(state),
    });
    this.#ready.promise.catch(() => {}); // observed through `ready`
  }

  /** The current phase. */
  get phase(): ScenePhase {
    return this.#phase;
  }

  /** Resolves once we take part in the scene; rejects if joining fails. */
  get ready(): Promise<void> {
    return this.#ready.promise;
  }

  /** The table (read it, do not change it). */
  get table(): ObjectTable {
    return this.#state?.table ?? this.#empty;
  }

  /** The scene's participants in the room's join order. */
  get participants(): number[] {
    return this.#state?.participants ?? [];
  }

  /** The scene's master (the adopter of departed participants' objects). */
  get master(): number | null {
    return this.#state?.master ?? null;
  }

  /** Scene messages ignored: malformed, from outsiders, over a limit. */
  get ignored(): number {
    return this.#ignored + (this.#state?.ignored ?? 0);
  }

  /** What this client owns or may act as owner of. */
  get local(): LocalOwner {
    return this.#local;
  }

  /** Sends our hello. */
  start(): void {
    this.#init.outbox.ordered(
      encodeSceneMessage({ kind: "hello", tag: this.#tag }),
    );
  }

  /** Handles a `3:<from>:<payload>` line's payload. */
  receive(from: number, payload: string): void {
    if (this.#phase === "ended") return;
    let msg: SceneMessage | null;
    try {
      msg = decodeSceneMessage(payload);
    } catch {
      this.#ignored++;
      return;
    }
    if (msg === null) return;
    this.#guard(() => this.#dispatch(from, msg));
  }

  /** Handles a `2:<id>:<room>` line for another member. */
  joined(id: number): void {
    if (this.#phase === "syncing") {
      this.#guard(() => this.#keep({ kind: "joined", id }));
    } else if (this.#phase !== "hello" && this.#phase !== "ended") {
      this.#state?.addMember(id);
    }
  }

  /** Handles a `2:<id>:` line for another member. */
  left(id: number): void {
    const sync = this.#sync;
    if (this.#phase === "syncing" && sync !== null) {
      this.#guard(() => {
        this.#keep({ kind: "left", id });
        sync.left(id);
        if (sync.done) this.#finishSync();
      });
    } else if (this.#phase === "synced" || this.#phase === "participant") {
      this.#state?.depart(id);
    }
  }

  /** Runs timers: the catch-up's timeout, updates due. */
  tick(): void {
    const sync = this.#sync;
    const now = this.#init.now();
    if (
      this.#phase === "syncing" && sync !== null &&
      now - sync.startedAt >= this.#options.syncTimeoutMs
    ) {
      this.#guard(() => {
        sync.timeOut(this.#options.syncTimeoutMs);
        this.#finishSync();
      });
    }
    if (this.#phase === "participant") this.#local.sendDue(now);
  }

  /** Ends the scene: pending claims and destroys resolve false, `ready` rejects. */
  end(reason: Error = new SceneClosedError()): void {
    if (this.#phase === "ended") return;
    this.#phase = "ended";
    this.#sync = null;
    this.#local.abandon();
    this.#ready.reject(reason);
  }

  /**
   * Creates an object owned by us and sends it to the room.
   *
   * @throws {SceneClosedError} unless we take part in the scene.
   * @throws {InvalidArgumentError} for a bad type name or fields.
   * @throws {TooManyObjectsError} when the scene is full.
   */
  instantiate(type: string, fields: Fields, boundToOwner: boolean) {
    this.#mustTakePart();
    return this.#local.instantiate(type, fields, boundToOwner);
  }

  /** Throws unless we take part in the scene. */
  #mustTakePart(): void {
    if (this.#phase !== "participant") {
      throw new SceneClosedError(
        this.#phase === "ended"
          ? "the scene has ended"
          : "not in the scene yet",
      );
    }
  }

  /** Runs `step`; a failed catch-up ends the scene. */
  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof SceneSyncError)) throw error;
      this.end(error);
    }
  }

  #dispatch(from: number, msg: SceneMessage): void {
    switch (msg.kind) {
      case "hello":
        return this.#hello(from, msg.tag);
      case "snapshot":
      case "end":
        return this.#answer(from, msg);
    }
    if (this.#phase === "syncing") this.#keep({ kind: "message", from, msg });
    else this.#state?.apply(from, msg);
  }

  #hello(from: number, tag: number): void {
    if (from === this.self) {
      if (this.#phase === "hello" && tag === this.#tag) this.#startSync();
      return;
    }
    if (!this.#init.members().includes(from)) {
      this.#ignored++;
      return;
    }
    if (this.#phase === "participant") {
      this.#local.answer(from, tag, this.participants);
    } else {
      this.#init.outbox.to(
        from,
        encodeSceneMessage({ kind: "end", tag, participants: null }),
      );
    }
  }

  /** An answer to a hello: ours, now or (a relay may reorder senders) early. */
  #answer(from: number, msg: SceneMessage & { kind: "snapshot" | "end" }) {
    if (msg.tag !== this.#tag) return;
    const sync = this.#sync;
    if (sync === null) {
      if (this.#phase !== "hello") return;
      if (this.#early.length >= this.#options.limits.maxSyncBuffered) {
        throw new SceneSyncError(
          SceneErrorCode.SyncOverflow,
          "too many answers before our hello came back",
        );
      }
      this.#early.push({ from, msg });
      return;
    }
    if (msg.kind === "snapshot") {
      this.#ignored += sync.snapshot(from, msg.objects);
    } else sync.end(from, msg.participants);
    if (sync.done) this.#finishSync();
  }

  #startSync(): void {
    this.#phase = "syncing";
    const limits = this.#options.limits;
    const sync = new SceneSync({
      tag: this.#tag,
      self: this.self,
      members: this.#init.members(),
      maxObjects: limits.maxObjects,
      maxBuffered: limits.maxSyncBuffered,
      now: this.#init.now(),
    });
    this.#sync = sync;
    for (const { from, msg } of this.#early.splice(0)) {
      if (msg.kind === "snapshot") {
        this.#ignored += sync.snapshot(from, msg.objects);
      } else if (msg.kind === "end") sync.end(from, msg.participants);
    }
    if (sync.done) this.#finishSync();
  }

  #keep(item: Buffered): void {
    this.#sync!.keep(item);
  }

  /** The answers are in: restart if one may be missing, else replay and get ready. */
  #finishSync(): void {
    const sync = this.#sync!;
    this.#sync = null;
    if (sync.broken) {
      this.#phase = "hello";
      this.#tag++;
      this.start();
      return;
    }
    this.#phase = "synced";
    const state = new SceneState(
      sync.base,
      sync.members,
      sync.participants ?? [],
      {
        self: this.self,
        options: this.#options,
        local: this.#local,
        events: this.#events,
        ready: () => this.#participating(),
      },
    );
    this.#state = state;
    for (const object of state.table.values()) this.#events.created?.(object);
    for (const item of sync.buffer) {
      if (item.kind === "message") state.apply(item.from, item.msg);
      else if (item.kind === "joined") state.addMember(item.id);
      else state.depart(item.id);
    }
    this.#init.outbox.ordered(encodeSceneMessage({ kind: "ready" }));
  }

  /** Our `R` came back: we take part. */
  #participating(): void {
    this.#phase = "participant";
    this.#local.startCounter(this.table);
    this.#ready.resolve();
  }
}
