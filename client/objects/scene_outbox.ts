/**
 * Where a scene's messages go: the room's order (`3:3`), updates to the
 * others (`3:0`, over TCP or UDP), one user (`3:4`). {@linkcode clientOutbox}
 * sends them with a {@linkcode RelayClient}; an update whose UDP send fails
 * goes over TCP, and UDP is tried again after a while.
 *
 * @example
 * ```ts
 * import type { SceneOutbox } from "./scene_outbox.ts";
 * const lines: string[] = [];
 * const outbox: SceneOutbox = {
 *   ordered: (p) => lines.push(`3:3:${p}`),
 *   update: (p) => lines.push(`3:0:${p}`),
 *   to: (id, p) => lines.push(`3:4:${id}:${p}`),
 * };
 * outbox.to(9, "E 0 -");
 * console.assert(lines[0] === "3:4:9:E 0 -");
 * ```
 * @module
 */
import type { ChannelName } from "../channel.ts";
import type { RelayClient } from "../relay_client.ts";

/** Where the scene's messages go. */
export interface SceneOutbox {
  /** `3:3`: to everyone in the room, in the room's order. */
  ordered(payload: string): void;
  /** `3:0`: an update to the others, over `channel`. */
  update(payload: string, channel: ChannelName): void;
  /** `3:4`: to one user. */
  to(id: number, payload: string): void;
  /** True when updates can go over UDP now (absent: always). */
  udpUp?(): boolean;
}

/** After a failed UDP send, updates go over TCP this long before UDP is tried again. */
export const UDP_RETRY_MS = 5_000;

/**
 * An outbox over `client`. UDP is up while the client's UDP channel is
 * open (`client.openUdp()`). A send that fails calls `failed`; a UDP send
 * that fails is sent again over TCP instead, and UDP rests for
 * {@linkcode UDP_RETRY_MS}.
 */
export function clientOutbox(
  client: RelayClient,
  failed: (error: unknown) => void,
): SceneOutbox {
  let udpRetryAt = 0;
  const tcp = (payload: string) => client.sendToOthers(payload).catch(failed);
  return {
    ordered: (payload) => void client.sendToAllOrdered(payload).catch(failed),
    to: (id, payload) => void client.sendTo([id], payload).catch(failed),
    udpUp: () => client.udp && performance.now() >= udpRetryAt,
    update: (payload, channel) => {
      if (channel === "tcp") {
        void tcp(payload);
        return;
      }
      client.sendToOthers(payload, { channel: "udp" }).catch(() => {
        // The channel closed under us: this update goes over TCP, and the
        // object's reliable update follows as for any UDP send.
        udpRetryAt = performance.now() + UDP_RETRY_MS;
        return tcp(payload);
      });
    },
  };
}
