/**
 * The events of a network scene and a small typed emitter for them. A
 * listener that throws is reported as an uncaught error; the others still
 * get the event.
 *
 * @example
 * ```ts
 * import { SceneEmitter } from "./scene_events.ts";
 * const emitter = new SceneEmitter<{ ping: (n: number) => void }>();
 * let got = 0;
 * const off = emitter.on("ping", (n) => (got = n));
 * emitter.emit("ping", 3);
 * off();
 * emitter.emit("ping", 4);
 * console.assert(got === 3);
 * ```
 * @module
 */
import type { NetworkObject } from "./network_object.ts";

/** The events of a {@linkcode NetworkScene} and their listeners' arguments. */
export interface SceneEventMap {
  /** An object appeared: instantiated here or by another member. */
  created: (object: NetworkObject) => void;
  /** Fields of an object changed by an update from its owner (not by our own `set`). */
  updated: (object: NetworkObject, fields: readonly string[]) => void;
  /** An object's confirmed owner changed (claim, or adoption after a departure). */
  owner: (object: NetworkObject, previous: number) => void;
  /** An object was destroyed (by its owner, or with its owner's departure). */
  destroyed: (object: NetworkObject) => void;
  /** A message could not be sent (the scene may now disagree with the others). */
  error: (error: Error) => void;
  /** The scene ended: we left, or the connection closed (with why). */
  closed: (reason: Error | null) => void;
}

/** Listeners by event name. */
export class SceneEmitter<
  // deno-lint-ignore no-explicit-any
  M extends { [K in keyof M]: (...args: any[]) => void },
> {
  readonly #listeners = new Map<keyof M, Set<M[keyof M]>>();

  /** Calls `listener` on each `event`; returns the unsubscriber. */
  on<K extends keyof M>(event: K, listener: M[K]): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** True when `event` has a listener. */
  has(event: keyof M): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }

  /** Calls every listener of `event` with `args`. */
  emit<K extends keyof M>(event: K, ...args: Parameters<M[K]>): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        listener(...args);
      } catch (error) {
        reportError(error);
      }
    }
  }
}
