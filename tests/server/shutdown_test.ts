/** Shutdown in-process: order, time limit, failing closers, a second signal. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { LogCapture } from "../helpers/log_capture.ts";
import { startServer } from "../helpers/server.ts";
import { DUPLICATE_SIGINT_MS, Shutdown } from "../../server/mod.ts";

function exits() {
  const codes: number[] = [];
  return { codes, exit: (code: number) => void codes.push(code) };
}

Deno.test("shutdown: ends every session and flushes, then runs the closers in order, then exits 0", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  const a = await t.member("ada", "r");
  const order: string[] = [];
  const { codes, exit } = exits();
  const shutdown = new Shutdown({
    server: t.server,
    closers: [{
      name: "first",
      close: () => {
        order.push(`first sessions=${t.server.sessionCount}`);
      },
    }],
    logger: log,
    timeoutMs: 10_000,
    exit,
  });
  shutdown.closers.push({
    name: "database",
    close: async () => {
      await Promise.resolve();
      order.push("database");
    },
  });
  assertEquals(await shutdown.signal("SIGTERM"), 0);
  assertEquals(codes, [0]);
  assertEquals(order, ["first sessions=0", "database"]);
  // Told why, then logged out, then its leave.
  assertEquals(await a.take(3), [
    "9:0:shutting-down:the server is shutting down",
    "0:-1",
    `2:${a.id}:`,
  ]);
  await a.closed();
  assertEquals(
    log.records.filter((r) => r.event.startsWith("server.")).map((r) =>
      `${r.event} ${r.fields.name ?? ""}`.trim()
    ),
    [
      "server.stopping",
      "server.closed first",
      "server.closed database",
      "server.stopped",
    ],
  );
});

Deno.test("shutdown: a failing closer is logged, the rest still close, exit 1", async () => {
  const log = new LogCapture();
  await using t = await startServer();
  const closed: string[] = [];
  const { codes, exit } = exits();
  const shutdown = new Shutdown({
    server: t.server,
    closers: [
      {
        name: "broken",
        close: () => {
          throw new Error("disk gone");
        },
      },
      { name: "after", close: () => void closed.push("after") },
    ],
    logger: log,
    timeoutMs: 10_000,
    exit,
  });
  assertEquals(await shutdown.signal("SIGINT"), 1);
  assertEquals([codes, closed], [[1], ["after"]]);
  assert.match(
    String((await log.waitFor("server.close_failed")).fields.error),
    /disk gone/,
  );
});

Deno.test("shutdown: past the time limit it exits 1; a second signal exits 1 at once", async () => {
  const log = new LogCapture();
  await using t = await startServer();
  const hang = Promise.withResolvers<void>();
  const { codes, exit } = exits();
  const shutdown = new Shutdown({
    server: t.server,
    closers: [{ name: "stuck", close: () => hang.promise }],
    logger: log,
    timeoutMs: 200,
    exit,
  });
  const first = shutdown.signal("SIGTERM");
  await log.waitFor("server.stopping");
  assertEquals(await shutdown.signal("SIGTERM"), 1, "second signal");
  assertEquals(codes, [1]);
  await log.waitFor("server.forced_exit");
  assertEquals(await first, 1, "the time limit passed");
  assertEquals(codes, [1, 1]);
  await log.waitFor("server.shutdown_timeout");
  hang.resolve();
});

Deno.test("shutdown: Ctrl-C delivered twice at once (terminal and deno task) is one request; a later one forces exit", async () => {
  const log = new LogCapture();
  await using t = await startServer();
  const hang = Promise.withResolvers<void>();
  const { codes, exit } = exits();
  let now = 1_000;
  const shutdown = new Shutdown({
    server: t.server,
    closers: [{ name: "slow", close: () => hang.promise }],
    logger: log,
    timeoutMs: 30_000,
    exit,
    now: () => now,
  });
  const first = shutdown.signal("SIGINT");
  await log.waitFor("server.stopping");
  now += DUPLICATE_SIGINT_MS - 1;
  const duplicate = shutdown.signal("SIGINT");
  assertEquals(codes, [], "the copy of the same Ctrl-C does not force exit");
  now += 2;
  assertEquals(await shutdown.signal("SIGINT"), 1, "a second Ctrl-C does");
  assertEquals(codes, [1]);
  hang.resolve();
  assertEquals(await first, 0);
  assertEquals(await duplicate, 0, "the copy waits for the same shutdown");
  assertEquals(log.count("server.forced_exit"), 1);
});
