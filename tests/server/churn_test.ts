/**
 * 5,000 connections opened and closed in churn (batches of 500: connect, log
 * in, join one of 50 rooms, talk, leave by disconnecting). Afterwards the
 * server holds nothing of them and the heap is back near its baseline.
 *
 * Bound stated: after a full GC, heap used plus external memory is within
 * 4 MiB of the baseline taken after one warm-up batch. A server that kept
 * ~1 KiB per closed connection would exceed it.
 */
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { assertEquals } from "../helpers/assert.ts";
import { LogCapture } from "../helpers/log_capture.ts";
import { LineClient } from "../helpers/line_client.ts";
import { startServer } from "../helpers/server.ts";

const TOTAL = 5_000;
const BATCH = 500;
const ROOMS = 50;
const BOUND_BYTES = 4 * 1024 * 1024;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function heap(): number {
  gc();
  gc();
  const { heapUsed, external } = Deno.memoryUsage();
  return heapUsed + external;
}

Deno.test("churn: 5,000 connections opened and closed leave nothing behind; memory returns near its baseline", async () => {
  const log = new LogCapture(() => false);
  await using t = await startServer({
    logger: log,
    limits: { maxConnectionsPerAddress: BATCH * 2 },
  });
  let serial = 0;
  const batch = async () => {
    const closedBefore = log.count("conn.close");
    const clients = await Promise.all(
      Array.from({ length: BATCH }, async () => {
        const n = serial++;
        const c = await LineClient.connect(t.port);
        await c.send(`0:u${n}:pw`, `2:room${n % ROOMS}`, `3:1:hello from ${n}`);
        // Our own echo comes after our join lines: we are fully in.
        const id = Number((await c.next()).split(":")[1]);
        while ((await c.next()) !== `3:${id}:hello from ${n}`);
        return c;
      }),
    );
    assertEquals(t.server.sessionCount, BATCH);
    await Promise.all(clients.map((c) => c.close()));
    await log.until(
      () => log.count("conn.close") === closedBefore + BATCH,
      "the batch's connections closed",
      30_000,
    );
    assertEquals(
      [t.server.connectionCount, t.server.sessionCount, t.server.roomCount],
      [0, 0, 0],
    );
  };
  await batch(); // warm-up: code compiled, pools sized
  const baseline = heap();
  while (serial < TOTAL + BATCH) await batch();
  const after = heap();
  console.log(
    `churn: ${TOTAL} connections; heap+external ${mib(baseline)} before, ${
      mib(after)
    } after`,
  );
  assertEquals(log.count("conn.open"), TOTAL + BATCH);
  assert.ok(
    after - baseline < BOUND_BYTES,
    `${mib(after)} after vs ${mib(baseline)} baseline`,
  );
});

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
