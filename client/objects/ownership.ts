/**
 * Ownership as one client sees it: its claims still on their way through
 * the room's order, with the field values it set while acting as owner
 * (kept apart until the claim comes back), and who the scene's master is.
 *
 * A claimant acts as owner at once: its changes go into the claim's
 * overlay and out as updates, which every client applies only if the claim
 * wins. When the claim comes back the overlay is merged (won) or dropped
 * (another claim was applied first), so a losing claimant falls back to
 * exactly the values everyone else holds.
 *
 * @example
 * ```ts
 * import { PendingClaims, sceneMaster } from "./ownership.ts";
 * const claims = new PendingClaims();
 * const won = claims.start("7-1");
 * claims.overlay("7-1")?.set(0, 2.5);
 * claims.finish("7-1")?.settle(true);
 * console.assert(await won === true);
 * console.assert(sceneMaster([4, 7, 9], new Set([9, 7])) === 7);
 * ```
 * @module
 */
import type { FieldValue } from "./field_value.ts";

/** One claim of ours in flight. */
export class PendingClaim {
  /** Values set while the claim is in flight, by field index. */
  readonly overlay = new Map<number, FieldValue>();
  readonly #waiters: ((won: boolean) => void)[] = [];

  /** Resolves with the outcome once the claim comes back. */
  outcome(): Promise<boolean> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Reports the outcome to everyone waiting. */
  settle(won: boolean): void {
    for (const resolve of this.#waiters.splice(0)) resolve(won);
  }
}

/** Our claims in flight, by object id. */
export class PendingClaims {
  readonly #claims = new Map<string, PendingClaim>();

  /** Number of claims in flight. */
  get size(): number {
    return this.#claims.size;
  }

  /** True when a claim on `id` is in flight. */
  has(id: string): boolean {
    return this.#claims.has(id);
  }

  /** The overlay of the claim on `id`, if one is in flight. */
  overlay(id: string): Map<number, FieldValue> | undefined {
    return this.#claims.get(id)?.overlay;
  }

  /** Records a claim on `id` (or joins the one in flight); resolves with its outcome. */
  start(id: string): Promise<boolean> {
    let claim = this.#claims.get(id);
    if (claim === undefined) {
      claim = new PendingClaim();
      this.#claims.set(id, claim);
    }
    return claim.outcome();
  }

  /** Removes and returns the claim on `id` (its outcome is the caller's to settle). */
  finish(id: string): PendingClaim | undefined {
    const claim = this.#claims.get(id);
    this.#claims.delete(id);
    return claim;
  }

  /** Settles every claim as lost (the scene ended). */
  abandon(): void {
    for (const claim of this.#claims.values()) claim.settle(false);
    this.#claims.clear();
  }
}

/**
 * The scene's master: the participant who has been in the room longest
 * (the room's master when it is a participant). Null when there is none.
 *
 * @param members the room's members in join order
 * @param participants the members taking part in the scene
 */
export function sceneMaster(
  members: readonly number[],
  participants: ReadonlySet<number>,
): number | null {
  return members.find((id) => participants.has(id)) ?? null;
}
