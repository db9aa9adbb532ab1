/**
 * Scene traffic by hand: a raw line client that speaks the network-object
 * format itself (a stand-in for another implementation, e.g. Unity), and
 * waits for scene events with a deadline.
 */
import type { NetworkScene, SceneEventMap } from "../../client/mod.ts";
import { DEADLINE_MS, type LineClient } from "./line_client.ts";

/** Reads lines until one matches `pattern`; returns it. */
export async function lineUntil(
  client: LineClient,
  pattern: RegExp,
  ms = DEADLINE_MS,
): Promise<string> {
  const deadline = Date.now() + ms;
  while (true) {
    const line = await client.next(Math.max(1, deadline - Date.now()));
    if (pattern.test(line)) return line;
  }
}

/**
 * Makes `client` (logged in as `id`, already in the room as its only
 * scene member so far, or with the answers it expects) a participant: it
 * sends its hello, reads the answers from `answerers` and sends `R`.
 */
export async function becomeParticipant(
  client: LineClient,
  id: number,
  answerers: readonly number[] = [],
): Promise<void> {
  await client.send("3:3:H 0");
  await lineUntil(client, new RegExp(`^3:${id}:H 0$`));
  for (const from of answerers) {
    await lineUntil(client, new RegExp(`^3:${from}:E 0 `));
  }
  await client.send("3:3:R");
  await lineUntil(client, new RegExp(`^3:${id}:R$`));
}

/** Resolves with the arguments of the next `event` that satisfies `test`. */
export function nextEvent<K extends keyof SceneEventMap>(
  scene: NetworkScene,
  event: K,
  test: (...args: Parameters<SceneEventMap[K]>) => boolean = () => true,
  ms = DEADLINE_MS,
): Promise<Parameters<SceneEventMap[K]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(event)} event within ${ms} ms`));
    }, ms);
    const listener = ((...args: Parameters<SceneEventMap[K]>) => {
      if (!test(...args)) return;
      clearTimeout(timer);
      off();
      resolve(args);
    }) as SceneEventMap[K];
    const off = scene.on(event, listener);
  });
}
