/**
 * Tab completion for the REPL: room names from the server's last room list
 * (asked for quietly when completing `/join`), members, groups.
 *
 * @example
 * ```ts ignore
 * import { RoomCompletion } from "./room_completion.ts";
 * const completion = new RoomCompletion();
 * completion.complete("/join lo", client, new Set());
 * ```
 * @module
 */
import type { Incoming, RelayClient } from "../../client/mod.ts";
import { complete } from "./completer.ts";

/** How long tab completion waits for the server's room list. */
const ROOMS_FOR_COMPLETION_MS = 1_000;

/** The rooms known for completion, and the room lists asked for it. */
export class RoomCompletion {
  #rooms: string[] = [];
  /** Room lists asked for by tab completion, not to be shown. */
  #hiddenRoomLists = 0;

  /** Completions of `line` (readline's form). */
  complete(
    line: string,
    client: RelayClient | null,
    groups: ReadonlySet<string>,
  ): [string[], string] {
    return complete(line, {
      rooms: this.#rooms,
      members: client?.members ?? [],
      groups: [...groups],
    });
  }

  /**
   * Asks the server for its rooms, for completing `/join`, without showing
   * the request or its answer (`quietly` hides the line sent); keeps the
   * last list when it takes too long.
   */
  async refresh(
    client: RelayClient | null,
    quietly: <T>(send: () => T) => T,
  ): Promise<void> {
    if (client === null || client.sessionId === null) return;
    this.#hiddenRoomLists++;
    const answer = quietly(() => client.listRooms().catch(() => null));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ROOMS_FOR_COMPLETION_MS);
    });
    const rooms = await Promise.race([answer, late]);
    clearTimeout(timer);
    if (rooms !== null) this.#rooms = rooms.map((r) => r.name);
  }

  /**
   * Learns the rooms from every room list that arrives. True when `msg`
   * answers a list asked for by completion: it is not to be shown.
   */
  seen(msg: Incoming["message"]): boolean {
    if (msg.kind !== "room-list") return false;
    this.#rooms = msg.rooms.map((r) => r.name);
    if (this.#hiddenRoomLists === 0) return false;
    this.#hiddenRoomLists--;
    return true;
  }
}
