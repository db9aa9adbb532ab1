/** RelayClient's connection life: connect failures, close, loss, superseding. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { startServer } from "../helpers/server.ts";
import { until } from "../helpers/incoming.ts";
import {
  ConnectFailedError,
  ConnectionClosedError,
  NotLoggedInError,
  RelayClient,
  RequestTimeoutError,
} from "../../client/mod.ts";

/** A port nobody listens on: bound, then released. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

/** A scripted peer on port 0 that answers each line with `reply(line)`. */
function scriptedServer(reply: (line: string) => string | null) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      (async () => {
        const lines = conn.readable.pipeThrough(new TextDecoderStream());
        let buffered = "";
        for await (const chunk of lines) {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf("\n")) !== -1) {
            const answer = reply(buffered.slice(0, nl));
            buffered = buffered.slice(nl + 1);
            if (answer !== null) {
              await conn.write(new TextEncoder().encode(answer + "\n"));
            }
          }
        }
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    async [Symbol.asyncDispose]() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // closed by the client already
        }
      }
      await serving;
    },
  };
}

Deno.test("client: connecting to a port nobody listens on fails with connect-failed", async () => {
  const error = await RelayClient.connect({ port: freePort() }).catch((e) => e);
  assert.ok(error instanceof ConnectFailedError);
  assertEquals(error.code, "connect-failed");
  assert.ok(error.cause instanceof Error);
});

Deno.test("client: close() ends iterators, later sends reject, closed reports byClient", async () => {
  await using t = await startServer();
  const a = await RelayClient.connect({ port: t.port });
  await a.login("ada");
  const events = a.messages();
  const info = await a.close();
  assertEquals(info.byClient, true);
  assertEquals((await events.next()).done, true);
  await assert.rejects(a.listRooms(), ConnectionClosedError);
  await assert.rejects(a.sendRaw("1:"), ConnectionClosedError);
  assertEquals(a.isClosed, true);
  assertEquals((await a.messages().next()).done, true);
  await a.close(); // idempotent
});

Deno.test("client: a server that goes away is reported, and open requests fail", async () => {
  const t = await startServer();
  const a = await RelayClient.connect({ port: t.port });
  await a.login("ada");
  await a.join("r");
  const events = a.messages();
  const id = a.sessionId;
  await t[Symbol.asyncDispose]();
  const lines = await until(events, /^2:\d+:$/);
  assertEquals(
    lines.slice(-3),
    ["9:0:shutting-down:the server is shutting down", "0:-1", `2:${id}:`],
    "the session was ended first, saying why",
  );
  const info = await a.closed;
  assertEquals(info.byClient, false);
  await assert.rejects(a.join("again"), ConnectionClosedError);
  await a.close();
});

Deno.test("client: a superseded session gets 0:-1, loses its state and its connection", async () => {
  await using t = await startServer();
  const old = await RelayClient.connect({ port: t.port });
  await old.login("ada");
  await old.join("r");
  const events = old.messages();
  await using fresh = await RelayClient.connect({ port: t.port });
  await fresh.login("ada");
  const lines = await until(events, /^0:-1$/);
  assertEquals(lines.at(-1), "0:-1");
  assertEquals([old.sessionId, old.room], [null, null]);
  assertEquals((await old.closed).byClient, false);
  await assert.rejects(old.sendToAll("x"), NotLoggedInError);
  await old.close();
});

Deno.test("client: a login answered with extra fields (0:id:secret) is accepted", async () => {
  await using peer = scriptedServer((line) =>
    line.startsWith("0:") ? "0:5:c2VjcmV0" : null
  );
  await using a = await RelayClient.connect({ port: peer.port });
  assertEquals(await a.login("ada"), 5);
  assertEquals(a.sessionId, 5);
});

Deno.test("client: a request the server never answers times out", async () => {
  await using peer = scriptedServer(() => null);
  await using a = await RelayClient.connect({
    port: peer.port,
    limits: { requestTimeoutMs: 200 },
  });
  const error = await a.login("ada").catch((e) => e);
  assert.ok(error instanceof RequestTimeoutError);
  assertEquals(error.code, "timeout");
});

Deno.test("client: limits must be positive whole numbers", async () => {
  await assert.rejects(
    RelayClient.connect({ limits: { maxPendingBytes: 0 } }),
    RangeError,
  );
});
