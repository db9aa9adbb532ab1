/** forEachRecipient without sockets: order, duplicates (scanned and hashed), missing ids. */
import { assertEquals } from "../helpers/assert.ts";
import { forEachRecipient } from "../../server/sessions/recipients.ts";
import { LocalRooms } from "../../server/rooms/rooms.ts";
import { Session } from "../../server/sessions/session.ts";
import { SessionRegistry } from "../../server/sessions/sessions.ts";
import type { ServerContext } from "../../server/context.ts";

function context(ids: number[]): ServerContext {
  const sessions = new SessionRegistry(new LocalRooms({ maxRooms: 1 }));
  for (const id of ids) {
    sessions.add(new Session(id, `u${id}`, { send() {}, close() {} }));
  }
  return { sessions } as unknown as ServerContext;
}

Deno.test("recipients: each listed session once, in order; the missing ids returned", () => {
  const ctx = context([1, 2, 3]);
  const visited: number[] = [];
  const missing = forEachRecipient(
    ctx,
    [3, 9, 1, 3, 1, 8],
    true,
    (p) => visited.push(p.id),
  );
  assertEquals(visited, [3, 1]);
  assertEquals(missing, [9, 8]);
});

Deno.test("recipients: long lists are deduplicated too; null when nobody is missing", () => {
  const ids = Array.from({ length: 40 }, (_, i) => i + 1);
  const ctx = context(ids);
  const visited: number[] = [];
  const missing = forEachRecipient(
    ctx,
    [...ids, ...ids.toReversed()],
    true,
    (p) => visited.push(p.id),
  );
  assertEquals(visited, ids);
  assertEquals(missing, null);
});

Deno.test("recipients: without mayRepeat every listed id is visited as given", () => {
  const ctx = context([1, 2]);
  const visited: number[] = [];
  forEachRecipient(ctx, [1, 2, 7], false, (p) => visited.push(p.id));
  assertEquals(visited, [1, 2]);
});
