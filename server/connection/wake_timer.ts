/**
 * One timer for many delayed wake-ups: a connection stopped for its line
 * rate asks to be woken at a time, and one timer, set for the earliest,
 * wakes every connection that is due. A timer per delay would allocate a
 * timer (and its promise machinery) up to a hundred times a second per
 * throttled connection; the garbage lives long enough to reach V8's old
 * generation and grows the heap between major collections.
 *
 * @example
 * ```ts
 * import { WakeTimer } from "./wake_timer.ts";
 * const timer = new WakeTimer();
 * const woken = Promise.withResolvers<void>();
 * timer.schedule(performance.now() + 5, woken.resolve);
 * await woken.promise;
 * timer.stop();
 * ```
 * @module
 */

/** Wakes callbacks at the times they asked for, with one timer. */
export class WakeTimer {
  readonly #at: number[] = [];
  readonly #wake: (() => void)[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #stopped = false;

  /** Calls `wake` once, at `at` (`performance.now()` clock) or soon after. */
  schedule(at: number, wake: () => void): void {
    if (this.#stopped) return;
    this.#at.push(at);
    this.#wake.push(wake);
    if (at < this.#timerAt) this.#arm(at);
  }

  /** How many wake-ups are waiting. */
  get size(): number {
    return this.#at.length;
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      this.#fire,
      Math.max(0, Math.ceil(at - performance.now())),
    );
  }

  #fire = (): void => {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    const at = this.#at;
    const wakes = this.#wake;
    let next = Infinity;
    const due: (() => void)[] = [];
    for (let i = 0; i < at.length;) {
      if (at[i]! <= now) {
        due.push(wakes[i]!);
        at[i] = at[at.length - 1]!;
        wakes[i] = wakes[wakes.length - 1]!;
        at.pop();
        wakes.pop();
      } else {
        if (at[i]! < next) next = at[i]!;
        i++;
      }
    }
    if (next < Infinity) this.#arm(next);
    for (const wake of due) wake();
  };

  /** Forgets every wake-up and releases the timer (the server is closing). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#at.length = 0;
    this.#wake.length = 0;
  }
}
