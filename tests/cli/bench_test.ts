/** `bench` as a child process: it works and reports deliveries (not speed). */
import assert from "node:assert/strict";
import { readAll, spawnCli } from "../helpers/cli.ts";
import { NO_RATE_LIMIT, startServer } from "../helpers/server.ts";

async function runJson(args: string[]) {
  await using child = spawnCli(["bench", ...args, "--json"]);
  const [status, out] = await Promise.all([
    child.process.status,
    readAll(child.stdout),
  ]);
  assert.equal(status.code, 0, await child.stderrText());
  return JSON.parse(out);
}

Deno.test("bench: a second against a server on port 0 reports deliveries", async () => {
  await using t = await startServer({ limits: NO_RATE_LIMIT });
  const result = await runJson([
    "--target",
    `127.0.0.1:${t.port}`,
    "--clients",
    "4",
    "--room-size",
    "2",
    "--duration",
    "1",
    "--warmup",
    "0.2",
  ]);
  assert.ok(result.deliveriesPerSecond > 0, JSON.stringify(result));
  assert.ok(result.sentPerSecond > 0);
  assert.equal(result.lost, 0);
  assert.ok(result.latencyMicros.samples > 0);
  assert.equal(result.server, null, "no server figures for a --target run");
});

Deno.test("bench: drives UDP channels: handshakes, then datagrams are relayed", async () => {
  await using t = await startServer({ limits: NO_RATE_LIMIT });
  const result = await runJson([
    "--target",
    `127.0.0.1:${t.port}`,
    "--transport",
    "udp",
    "--clients",
    "4",
    "--room-size",
    "2",
    "--mode",
    "0",
    "--rate",
    "50",
    "--duration",
    "1",
    "--warmup",
    "0.2",
  ]);
  assert.ok(result.deliveriesPerSecond > 0, JSON.stringify(result));
  assert.ok(
    t.server.udpStats!.datagramsIn > 0,
    "the messages came as datagrams",
  );
});

Deno.test("bench: starts its own server and times ping-pong round trips", async () => {
  const result = await runJson([
    "--pattern",
    "pingpong",
    "--clients",
    "2",
    "--duration",
    "0.5",
    "--warmup",
    "0.1",
  ]);
  assert.ok(result.latencyMicros.samples > 0);
  assert.ok(result.latencyMicros.p50 > 0);
  assert.ok(result.server.rssBytes > 0);
});

Deno.test("bench: bad settings are refused with a message", async () => {
  await using child = spawnCli(["bench", "--clients", "5", "--room-size", "2"]);
  const status = await child.process.status;
  assert.equal(status.code, 2);
  assert.match(await child.stderrText(), /multiple of the room size/);
});
