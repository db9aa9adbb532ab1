/** Waiting for a RelayClient's connection events, with deadlines. */
import type { RelayClient } from "../../client/mod.ts";
import type { ClientEventMap } from "../../client/client_events.ts";
import { DEADLINE_MS } from "./inbox.ts";

/** Records every event of a client, for assertions after the fact. */
export class EventLog {
  readonly events: { type: keyof ClientEventMap; event: unknown }[] = [];
  readonly #wakers = new Set<() => void>();

  constructor(client: RelayClient) {
    for (
      const type of [
        "disconnected",
        "resumed",
        "session-ended",
        "rejoined",
      ] as const
    ) {
      client.on(type, (event) => {
        this.events.push({ type, event });
        for (const wake of this.#wakers) wake();
      });
    }
  }

  /** How many `type` events so far. */
  count(type: keyof ClientEventMap): number {
    return this.events.filter((e) => e.type === type).length;
  }

  /** The types, in order. */
  get types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Resolves once `check()` is true after some event; fails after `ms`. */
  until(check: () => boolean, what: string, ms = DEADLINE_MS): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wakers.delete(wake);
        reject(
          new Error(
            `not ${what} within ${ms} ms; events: ${this.types.join(", ")}`,
          ),
        );
      }, ms);
      const wake = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      this.#wakers.add(wake);
    });
  }

  /** Resolves with the `n`-th (1-based) `type` event; fails after `ms`. */
  nth<K extends keyof ClientEventMap>(
    type: K,
    n: number,
    ms = DEADLINE_MS,
  ): Promise<ClientEventMap[K]> {
    const find = () =>
      this.events.filter((e) => e.type === type)[n - 1]?.event as
        | ClientEventMap[K]
        | undefined;
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wakers.delete(wake);
        reject(
          new Error(
            `no ${type} #${n} within ${ms} ms; events: ${
              this.types.join(", ")
            }`,
          ),
        );
      }, ms);
      const wake = () => {
        const event = find();
        if (event === undefined) return;
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve(event);
      };
      this.#wakers.add(wake);
    });
  }
}
