/** The queue of password checks: concurrency, lanes, priority, bounds. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  CheckQueue,
  CheckQueueBusyError,
} from "../../../server/accounts/check_queue.ts";

/** Jobs the test finishes by hand, recording the order they started in. */
class Jobs {
  readonly started: string[] = [];
  readonly #finish = new Map<string, () => void>();
  job(name: string): () => Promise<string> {
    return () =>
      new Promise((resolve) => {
        this.started.push(name);
        this.#finish.set(name, () => resolve(name));
      });
  }
  finish(name: string): void {
    this.#finish.get(name)!();
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("check queue: at most `concurrency` run; lanes take turns; priority goes first", async () => {
  const queue = new CheckQueue({
    concurrency: 1,
    maxQueued: 100,
    maxQueuedPerLane: 100,
    prioritySlots: 0,
  });
  const jobs = new Jobs();
  const results = [
    queue.run(jobs.job("a1"), { lane: "a" }),
    queue.run(jobs.job("a2"), { lane: "a" }),
    queue.run(jobs.job("a3"), { lane: "a" }),
    queue.run(jobs.job("b1"), { lane: "b" }),
    queue.run(jobs.job("c1"), { lane: "c" }),
    queue.run(jobs.job("real"), { lane: "d", priority: true }),
  ];
  await tick();
  assertEquals([queue.running, queue.queued], [1, 5]);
  for (const name of ["a1", "real", "a2", "b1", "c1", "a3"]) {
    await tick();
    assertEquals(jobs.started.at(-1), name);
    jobs.finish(name);
  }
  assertEquals(await Promise.all(results), [
    "a1",
    "a2",
    "a3",
    "b1",
    "c1",
    "real",
  ]);
  await queue.idle();
  assertEquals([queue.running, queue.queued], [0, 0]);
});

Deno.test("check queue: past the bounds a check is refused busy; a priority check takes a waiting one's place", async () => {
  const queue = new CheckQueue({
    concurrency: 1,
    maxQueued: 3,
    maxQueuedPerLane: 2,
    prioritySlots: 0,
  });
  const jobs = new Jobs();
  const running = queue.run(jobs.job("x"), { lane: "a" });
  const a = [1, 2].map((i) => queue.run(jobs.job(`a${i}`), { lane: "a" }));
  await assert.rejects(
    queue.run(jobs.job("a3"), { lane: "a" }),
    CheckQueueBusyError,
    "a lane holds at most 2",
  );
  const b1 = queue.run(jobs.job("b1"), { lane: "b" });
  await assert.rejects(
    queue.run(jobs.job("c1"), { lane: "c" }),
    CheckQueueBusyError,
    "3 wait in all",
  );
  // A priority check is not refused: the newest of the longest lane is.
  const real = queue.run(jobs.job("real"), { lane: "d", priority: true });
  await assert.rejects(a[1]!, CheckQueueBusyError);
  assertEquals(queue.queued, 3);
  const internal = queue.run(jobs.job("new hash"), { uncapped: true });
  assertEquals(queue.queued, 4, "uncapped work is never refused");
  for (const name of ["x", "real", "a1", "b1", "new hash"]) {
    await tick();
    assertEquals(jobs.started.at(-1), name);
    jobs.finish(name);
  }
  await Promise.all([running, a[0], b1, real, internal]);
});

Deno.test("check queue: a priority check runs at once beside a full hasher, in its own extra slot only", async () => {
  const queue = new CheckQueue({
    concurrency: 1,
    maxQueued: 100,
    maxQueuedPerLane: 100,
  });
  const jobs = new Jobs();
  const spray = [1, 2, 3].map((i) =>
    queue.run(jobs.job(`spray${i}`), { lane: "a" })
  );
  const real = queue.run(jobs.job("real"), { lane: "b", priority: true });
  const second = queue.run(jobs.job("real2"), { lane: "c", priority: true });
  await tick();
  assertEquals(jobs.started, ["spray1", "real"], "real did not wait");
  assertEquals(queue.running, 2);
  jobs.finish("real");
  await tick();
  assertEquals(jobs.started.at(-1), "real2", "the extra slot passes on");
  jobs.finish("real2");
  await tick();
  assertEquals(queue.running, 1, "a normal check never takes the extra slot");
  jobs.finish("spray1");
  for (const name of ["spray2", "spray3"]) {
    await tick();
    assertEquals(jobs.started.at(-1), name);
    jobs.finish(name);
  }
  await Promise.all([...spray, real, second]);
});

Deno.test("check queue: a check whose asker has gone is dropped when its turn comes", async () => {
  const queue = new CheckQueue({
    concurrency: 1,
    maxQueued: 10,
    maxQueuedPerLane: 10,
  });
  const jobs = new Jobs();
  let gone = false;
  const first = queue.run(jobs.job("first"));
  const dropped = queue.run(jobs.job("dropped"), { gone: () => gone });
  const last = queue.run(jobs.job("last"));
  gone = true;
  await tick();
  jobs.finish("first");
  await assert.rejects(dropped, CheckQueueBusyError);
  await tick();
  jobs.finish("last");
  await Promise.all([first, last]);
  assertEquals(jobs.started, ["first", "last"]);
});
