/**
 * Resume over every transport the client library opens: tcp://, tls://,
 * ws:// and wss://. The connection is dropped (as a network failure would),
 * a TCP member talks meanwhile, and the session resumes over the same scheme
 * with every line delivered; a refused fresh login (the password changed
 * while away, after the window) closes the client and says why.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { hasOpenssl } from "../helpers/certs.ts";
import { EventLog } from "../helpers/client_events.ts";
import { startOver, TRANSPORT_NAMES } from "../helpers/transports.ts";
import { LogCapture } from "../helpers/log_capture.ts";
import { CutProxy } from "../helpers/cut_proxy.ts";
import { startServer } from "../helpers/server.ts";
import { payloadText, RelayClient } from "../../client/mod.ts";
import type { Authenticator, LoginAttempt } from "../../server/mod.ts";

for (const name of TRANSPORT_NAMES) {
  const needsTls = name === "tls" || name === "wss";
  Deno.test({
    name: `reconnect over ${name}://: a dropped connection resumes the session${
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
      await using client = await RelayClient.connect({
        url: `${name}://${host}:${port}${name.startsWith("ws") ? "/ws" : ""}`,
        tls: t.certs ? { caCerts: [t.certs.caPem] } : undefined,
        reconnect: { minDelayMs: 10, maxDelayMs: 100 },
      });
      const events = new EventLog(client);
      const me = await client.login("ada", "pw");
      const other = await t.member("bob", "r", "tcp");
      await client.join("r");
      assertEquals(await other.next(), `2:${me}:r`);
      const got: string[] = [];
      client.onMessage(({ message }) => {
        if (message.kind === "message") got.push(payloadText(message.payload));
      });
      client.dropConnection(300);
      assertEquals(await other.next(), `6:${me}:away`);
      await other.send("3:0:one", "3:0:two");
      const queued = client.sendToOthers("while down");
      await events.nth("resumed", 1);
      await queued;
      assertEquals(await other.take(2), [`6:${me}:back`, `3:${me}:while down`]);
      await other.send("3:0:three");
      await client.sendToAll("sync");
      assertEquals(await other.next(), `3:${me}:sync`);
      assertEquals(got.filter((p) => p !== "sync"), ["one", "two", "three"]);
      assertEquals(client.sessionId, me);
    },
  });
}

/** Accepts ada's password until told otherwise (an account changed meanwhile). */
class ChangingPassword implements Authenticator {
  password = "old";
  verify(attempt: LoginAttempt): Promise<boolean> {
    return Promise.resolve(attempt.password === this.password);
  }
}

Deno.test("reconnect: when the fresh login after a lost session is refused, the client closes and says why", async () => {
  const auth = new ChangingPassword();
  const log = new LogCapture();
  await using t = await startServer({
    auth,
    logger: log,
    limits: { resumeWindowMs: 100 },
  });
  await using proxy = CutProxy.start(t.port);
  const client = await RelayClient.connect({
    port: proxy.port,
    reconnect: { minDelayMs: 10, maxDelayMs: 50 },
  });
  const events = new EventLog(client);
  await client.login("ada", "old");
  proxy.refuse(true);
  proxy.cutAll();
  await events.nth("disconnected", 1);
  await log.waitFor("session.end", (f) => f.reason === "resume window");
  auth.password = "new";
  proxy.refuse(false);
  const first = await events.nth("session-ended", 1);
  assertEquals([first.code, first.rejoining], ["resume-refused", true]);
  const second = await events.nth("session-ended", 2);
  assertEquals([second.code, second.rejoining], ["login-refused", false]);
  await client.closed;
  assert.ok(client.isClosed);
  assertEquals(events.count("rejoined"), 0);
});
