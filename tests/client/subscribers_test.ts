/** Subscribers: callbacks, iterators, pausing while an iterator is full. */
import { assertEquals } from "../helpers/assert.ts";
import { Subscribers } from "../../client/subscribers.ts";

Deno.test("subscribers: every listener and iterator gets every item, in order", async () => {
  const subs = new Subscribers<number>(10);
  const a: number[] = [];
  const stop = subs.listen((n) => a.push(n));
  const it = subs.iterate();
  subs.deliver(1);
  stop();
  subs.deliver(2);
  subs.end();
  assertEquals(a, [1]);
  assertEquals(await Array.fromAsync(it), [1, 2]);
  assertEquals(await subs.iterate().next(), { value: undefined, done: true });
});

Deno.test("subscribers: ready() waits while an iterator is full; break releases it", async () => {
  const subs = new Subscribers<number>(2);
  const it = subs.iterate();
  subs.deliver(1);
  assertEquals(subs.ready(), undefined);
  subs.deliver(2);
  const waiting = subs.ready();
  assertEquals(waiting instanceof Promise, true);
  await it.next();
  await waiting;
  subs.deliver(3);
  await it.return!();
  assertEquals(
    subs.ready(),
    undefined,
    "a stopped iterator no longer holds reading",
  );
});
