/** MessageStream: bounded buffer, end, early return. */
import { assertEquals } from "../helpers/assert.ts";
import { MessageStream } from "../../client/message_stream.ts";

Deno.test("message stream: delivers in order, reports full, and makes room as it is read", async () => {
  const s = new MessageStream<number>(2, () => {});
  s.push(1);
  assertEquals(s.full, false);
  s.push(2);
  assertEquals(s.full, true);
  let released = false;
  const space = s.whenSpace().then(() => (released = true));
  assertEquals((await s.next()).value, 1);
  await space;
  assertEquals(released, true);
  const pending = s.next();
  const waiting = s.next();
  s.push(3);
  s.push(4);
  assertEquals([(await pending).value, (await waiting).value], [2, 3]);
  s.end();
  assertEquals(await s.next(), { value: 4, done: false });
  assertEquals(await s.next(), { value: undefined, done: true });
  s.push(5);
  assertEquals((await s.next()).done, true, "pushes after the end are ignored");
});

Deno.test("message stream: break calls onReturn once and ends the stream", async () => {
  let returned = 0;
  const s = new MessageStream<string>(10, () => returned++);
  s.push("a");
  s.push("b");
  for await (const item of s) {
    assertEquals(item, "a");
    break;
  }
  await s.return();
  assertEquals(returned, 1);
  assertEquals((await s.next()).done, true);
});

Deno.test("message stream: a waiting reader sees the end", async () => {
  const s = new MessageStream<string>(1, () => {});
  const next = s.next();
  s.end();
  assertEquals(await next, { value: undefined, done: true });
  assertEquals(s.full, false);
});
