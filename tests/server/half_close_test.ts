/**
 * A client that stops sending (`printf '…' | nc host port` half-closes at
 * the end of its input) still gets the answer to every line it sent, even
 * those waiting behind a slow login, and then the server closes.
 */
import { assertEquals } from "../helpers/assert.ts";
import { startAccountsServer } from "../helpers/accounts_server.ts";
import {
  DenoTcpTransport,
  EpollTcpTransport,
  NodeTcpTransport,
} from "../../server/mod.ts";

for (
  const [name, transport] of [
    ["node:net", () => new NodeTcpTransport()],
    ["Deno.listen", () => new DenoTcpTransport()],
    ["epoll", () => new EpollTcpTransport()],
  ] as const
) {
  Deno.test(`half-close (${name}): lines sent before the end of input are all answered`, async () => {
    await using t = await startAccountsServer({
      accounts: { ada: "s3cret" },
      rooms: [{ name: "den", password: "door" }],
      server: { transport: transport() },
    });
    const c = await t.client();
    await c.send(
      "0:ada:wrong",
      "0:ada:s3cret",
      "2:den:door",
      "3:1:hello",
      "1:",
    );
    await c.closeWrite();
    const [refused, welcome, ...rest] = await c.take(6);
    const id = Number(/^0:(\d+)(:[0-9a-f]{32})?$/.exec(welcome!)?.[1]);
    assertEquals([refused, ...rest], [
      "0:-1",
      `2:${id}:den`,
      `4:${id}`,
      `3:${id}:hello`,
      "1:den-1",
    ]);
    await c.closed();
    assertEquals(t.server.sessionCount, 0);
  });

  Deno.test(`half-close (${name}): an idle client that stops sending is closed`, async () => {
    await using t = await startAccountsServer({
      accounts: { ada: "s3cret" },
      server: { transport: transport() },
    });
    const c = await t.client();
    await c.closeWrite();
    await c.closed();
    const d = await t.client();
    assertEquals(await d.login("ada", "s3cret") > 0, true);
  });
}
