/**
 * RelayClient over every scheme `serve` prints: tcp://, tls://, ws:// and
 * wss://, against servers that speak them; and the browser transport's
 * refusal of the schemes a page cannot open.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { hasOpenssl } from "../helpers/certs.ts";
import { startOver, TRANSPORT_NAMES } from "../helpers/transports.ts";
import {
  browserTransport,
  InvalidArgumentError,
  payloadText,
  RelayClient,
} from "../../client/mod.ts";

for (const name of TRANSPORT_NAMES) {
  const needsTls = name === "tls" || name === "wss";
  Deno.test({
    name:
      `client over ${name}://: login, join, a message to all and back, close${
        needsTls && !hasOpenssl() ? " (ignored: no openssl)" : ""
      }`,
    ignore: needsTls && !hasOpenssl(),
    fn: async () => {
      await using t = await startOver(name);
      const port = name === "tcp"
        ? t.server.port
        : name === "tls"
        ? t.server.tlsPort
        : t.server.httpPort;
      const host = needsTls ? "localhost" : "127.0.0.1";
      const url = `${name}://${host}:${port}${
        name.startsWith("ws") ? "/ws" : ""
      }`;
      await using client = await RelayClient.connect({
        url,
        tls: t.certs ? { caCerts: [t.certs.caPem] } : undefined,
      });
      assertEquals(client.scheme, name);
      const me = await client.login("ada", "pw");
      const other = await t.member("bob", "r", "tcp");
      const joined = await client.join("r");
      assertEquals(joined.members, [other.id, me]);
      assertEquals(await other.next(), `2:${me}:r`);
      await client.sendToAll("hi:there");
      assertEquals(await other.next(), `3:${me}:hi:there`);
      await other.send("3:0:back");
      for await (const { message } of client) {
        if (message.kind === "message" && message.from === other.id) {
          assertEquals(payloadText(message.payload), "back");
          break;
        }
      }
    },
  });
}

Deno.test("client: the browser transport opens ws:// and wss:// only", async () => {
  await assert.rejects(
    RelayClient.connect({
      url: "tcp://127.0.0.1:1",
      transport: browserTransport,
    }),
    InvalidArgumentError,
  );
  await assert.rejects(
    RelayClient.connect({ url: "gopher://x" }),
    InvalidArgumentError,
  );
});
