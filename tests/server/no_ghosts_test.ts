/**
 * A fault in one connection's handling ends that connection cleanly: its
 * room is told, the others keep talking, no session is left behind. The
 * faults are forced with crafted dependencies (a logger, an authenticator, a
 * transport), never with a test hook in the server.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { LogCapture } from "../helpers/log_capture.ts";
import { startServer } from "../helpers/server.ts";
import {
  type Authenticator,
  type LoginAttempt,
  NodeTcpTransport,
  type Transport,
  type TransportSocket,
} from "../../server/mod.ts";
import type { SocketEvents } from "../../server/transport/transport.ts";
import type { LogFields } from "../../server/logger.ts";

/** A logger that throws while logging one connection's refused line. */
class ThrowingLogger extends LogCapture {
  override debug(event: string, fields?: LogFields): void {
    if (event === "line.refused" && fields?.code === "unknown-command") {
      throw new Error("logger exploded");
    }
    super.debug(event, fields);
  }
}

Deno.test("no ghosts: an exception while handling a line ends only that connection, with its leave", async () => {
  const log = new ThrowingLogger();
  await using t = await startServer({ logger: log });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  const c = await t.member("cy", "r");
  await a.sync();
  await b.sync();
  await c.send("8:boom");
  assert.match(await c.next(), /^9:\?:internal:/);
  assertEquals(await c.next(), `2:${c.id}:`);
  await c.closed();
  assertEquals(await a.next(), `2:${c.id}:`);
  assertEquals(await b.next(), `2:${c.id}:`);
  const crash = await log.waitFor("conn.crash");
  assert.match(String(crash.fields.error), /logger exploded/);
  await a.send("3:0:still here");
  assertEquals(await b.next(), `3:${a.id}:still here`);
  await a.send("1:");
  assertEquals(await a.next(), "1:r-2", "no ghost in the room");
  assertEquals(t.server.sessionCount, 2);
});

/** Accepts everyone but throws (synchronously, not a rejection) for "boom". */
class ThrowingAuthenticator implements Authenticator {
  verify(attempt: LoginAttempt): Promise<boolean> {
    if (attempt.username === "boom") throw new TypeError("auth exploded");
    return Promise.resolve(true);
  }
}

Deno.test("no ghosts: an exception during an asynchronous login ends only that connection", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    auth: new ThrowingAuthenticator(),
    logger: log,
  });
  const a = await t.member("ada", "r");
  const c = await t.member("cy", "r");
  await a.sync();
  await c.send("0:boom:pw", "3:1:never relayed");
  assertEquals(
    await c.next(),
    `2:${c.id}:`,
    "a login ends the old session first",
  );
  assert.match(await c.next(), /^9:\?:internal:/);
  await c.closed();
  assertEquals(await a.next(), `2:${c.id}:`);
  assert.match(
    String((await log.waitFor("conn.crash")).fields.error),
    /auth exploded/,
  );
  const d = await t.member("dee", "r");
  assertEquals(await a.next(), `2:${d.id}:r`);
  await d.send("3:0:hi");
  assertEquals(await a.next(), `3:${d.id}:hi`);
  assertEquals(t.server.sessionCount, 2);
});

/** node:net TCP whose sockets can be made to throw on write. */
class PoisonableTransport implements Transport {
  readonly sockets: (TransportSocket & { poisoned: boolean })[] = [];
  readonly #inner = new NodeTcpTransport();

  listen(
    hostname: string,
    port: number,
    accept: (socket: TransportSocket) => SocketEvents,
  ) {
    return this.#inner.listen(hostname, port, (socket) => {
      const wrapped = {
        poisoned: false,
        get remote() {
          return socket.remote;
        },
        get remoteAddress() {
          return socket.remoteAddress;
        },
        write(data: Uint8Array, done: (error?: Error | null) => void) {
          if (wrapped.poisoned) throw new RangeError("write exploded");
          socket.write(data, done);
        },
        pause: () => socket.pause(),
        resume: () => socket.resume(),
        end: () => socket.end(),
        destroy: () => socket.destroy(),
      };
      this.sockets.push(wrapped);
      return accept(wrapped);
    });
  }
}

Deno.test("no ghosts: a fault while writing to one receiver of a fan-out ends only that receiver", async () => {
  const log = new LogCapture();
  const transport = new PoisonableTransport();
  await using t = await startServer({ transport, logger: log });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  const victim = await t.member("vic", "r");
  const d = await t.member("dee", "r");
  for (const m of [a, b]) await m.sync();
  transport.sockets[2]!.poisoned = true;
  await a.send("3:0:fan out");
  assertEquals(await b.next(), `3:${a.id}:fan out`);
  assertEquals(
    await d.next(),
    `3:${a.id}:fan out`,
    "later receivers still served",
  );
  assertEquals(await b.next(), `2:${victim.id}:`);
  assertEquals(await d.next(), `2:${victim.id}:`);
  await victim.closed();
  assert.match(
    String((await log.waitFor("conn.crash")).fields.error),
    /write exploded/,
  );
  assertEquals(await a.next(), `2:${victim.id}:`);
  await d.send("3:1:after");
  assertEquals(await a.next(), `3:${d.id}:after`);
  assertEquals(t.server.sessionCount, 3);
});
