/**
 * What `connect` says about its connection coming and going: the client
 * library's `disconnected`, `resumed`, `session-ended` and `rejoined` events
 * in words. Pure, but for {@linkcode watchReconnect}, which subscribes.
 *
 * @example
 * ```ts
 * import { reconnectText } from "./reconnect_notices.ts";
 * const said = reconnectText("resumed", { sessionId: 3, downtimeMs: 120, resent: 2, attempts: 1 });
 * console.assert(said.text === "resumed session 3 after 120 ms; nothing was lost (2 of our lines sent again)");
 * ```
 * @module
 */
import type { ClientEventMap, RelayClient } from "../../client/mod.ts";

/** A notice: its words and whether it is bad news. */
export interface ReconnectNotice {
  readonly text: string;
  readonly level: "info" | "error";
}

/** One event in words. */
export function reconnectText<K extends keyof ClientEventMap>(
  type: K,
  event: ClientEventMap[K],
): ReconnectNotice {
  switch (type) {
    case "disconnected": {
      const e = event as ClientEventMap["disconnected"];
      const why = e.error === undefined ? "" : ` (${e.error.message})`;
      return {
        level: "error",
        text: `connection lost${why}; ${
          e.resumable
            ? "reconnecting to resume the session"
            : "reconnecting to log in again"
        }`,
      };
    }
    case "resumed": {
      const e = event as ClientEventMap["resumed"];
      return {
        level: "info",
        text:
          `resumed session ${e.sessionId} after ${e.downtimeMs} ms; nothing was lost (${
            e.resent === 1 ? "1 of our lines" : `${e.resent} of our lines`
          } sent again)`,
      };
    }
    case "session-ended": {
      const e = event as ClientEventMap["session-ended"];
      const session = e.sessionId === null
        ? "the session"
        : `session ${e.sessionId}`;
      return {
        level: "error",
        text: `${session} ended (${e.code}): ${e.reason}${
          e.rejoining ? "; logging in again and rejoining" : ""
        }`,
      };
    }
    default: {
      const e = event as ClientEventMap["rejoined"];
      return {
        level: "info",
        text: `logged in again as session ${e.sessionId}${
          e.room === null ? "" : `, back in ${e.room}`
        } (what was sent meanwhile is lost)`,
      };
    }
  }
}

/** Calls `say` with each connection event of `client`, in words. */
export function watchReconnect(
  client: RelayClient,
  say: (notice: ReconnectNotice) => void,
): void {
  for (
    const type of [
      "disconnected",
      "resumed",
      "session-ended",
      "rejoined",
    ] as const
  ) {
    client.on(type, (event) => say(reconnectText(type, event)));
  }
}
