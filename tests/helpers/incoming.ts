/** Waiting for a client library event, with a deadline. */
import type { Incoming } from "../../client/mod.ts";
import { DEADLINE_MS } from "./inbox.ts";

const decoder = new TextDecoder();

/** The raw text of an incoming line. */
export function rawText(incoming: Incoming): string {
  return decoder.decode(incoming.raw);
}

/**
 * Reads `messages` until a line's raw text matches `pattern`; returns the
 * lines read, the matching one last. Fails after `ms` with what arrived.
 */
export async function until(
  messages: AsyncIterator<Incoming>,
  pattern: RegExp,
  ms = DEADLINE_MS,
): Promise<string[]> {
  const seen: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `no ${pattern} within ${ms} ms; got ${JSON.stringify(seen)}`,
          ),
        ),
      ms,
    );
  });
  try {
    while (true) {
      const next = await Promise.race([messages.next(), timeout]);
      if (next.done) {
        throw new Error(
          `stream ended before ${pattern}; got ${JSON.stringify(seen)}`,
        );
      }
      seen.push(rawText(next.value));
      if (pattern.test(seen.at(-1)!)) return seen;
    }
  } finally {
    clearTimeout(timer);
  }
}

/** The next `count` items of `messages` that pass `keep`; fails after `ms`. */
export async function collect<T>(
  messages: AsyncIterator<Incoming>,
  count: number,
  keep: (incoming: Incoming) => T | undefined,
  ms = DEADLINE_MS,
): Promise<T[]> {
  const kept: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`only ${kept.length} of ${count} within ${ms} ms`)),
      ms,
    );
  });
  try {
    while (kept.length < count) {
      const next = await Promise.race([messages.next(), timeout]);
      if (next.done) {
        throw new Error(`stream ended after ${kept.length} of ${count}`);
      }
      const value = keep(next.value);
      if (value !== undefined) kept.push(value);
    }
    return kept;
  } finally {
    clearTimeout(timer);
  }
}
