/**
 * More cores on one host: two `serve --reuse-port --cluster` processes on
 * the same TCP port, sharing one real Redis. The kernel spreads the
 * connections over both; every client of one room must get every other
 * member's lines, whichever process each of them landed on.
 */
import { assertEquals } from "../../helpers/assert.ts";
import { LineClient } from "../../helpers/line_client.ts";
import { serveChild } from "../../helpers/cli.ts";
import { redisAvailability, startRedis } from "../../helpers/redis.ts";
import { tempFile } from "../../helpers/temp_file.ts";

const redis = await redisAvailability();
const TOKEN = "reuse-port-test-token-0123456789abcdef";
const CLIENTS = 16;

/** Sessions held by one process, from its admin endpoint. */
async function localSessions(adminUrl: string): Promise<number> {
  const response = await fetch(`${adminUrl}/status`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const report = await response.json();
  return report.totals.sessions;
}

Deno.test({
  name: `reuse-port: two processes on one port relay to each other's clients${
    redis.available ? "" : ` (skipped: ${redis.reason})`
  }`,
  ignore: !redis.available,
  async fn() {
    await using store = await startRedis();
    await using token = await tempFile("switchboard-token-", TOKEN);
    const common = [
      "--cluster",
      store.url,
      "--reuse-port",
      "--admin-port",
      "0",
      "--admin-token-file",
      token.path,
      "--log-level",
      "warn",
      "--max-connections-per-address",
      "1000",
    ];
    await using first = await serveChild(["--host", "127.0.0.1", ...common]);
    // The second takes the first one's port: only SO_REUSEPORT allows it.
    await using second = await serveChild([
      "--host",
      "127.0.0.1",
      ...common,
      "--port",
      String(first.port),
    ]);
    assertEquals([second.port, first.udpPort, second.udpPort], [
      first.port,
      null,
      null,
    ]);
    const clients: (LineClient & { id: number })[] = [];
    try {
      for (let i = 0; i < CLIENTS; i++) {
        const c = await LineClient.connect(first.port);
        clients.push(Object.assign(c, { id: await c.login(`u${i}`) }));
      }
      // The kernel hashes each connection to one process: with 16 of
      // them, both hold some (all on one: a chance of 2 in 65,536).
      const held = [
        await localSessions(first.adminUrl!),
        await localSessions(second.adminUrl!),
      ];
      assertEquals(held[0]! + held[1]!, CLIENTS);
      assertEquals(
        held.every((n) => n > 0),
        true,
        `sessions per process: ${held}`,
      );
      for (const c of clients) {
        await c.send("2:hall");
        while (!(await c.next()).startsWith("4:"));
      }
      // Everyone sends at once, without waiting for anyone.
      await Promise.all(clients.map((c) => c.send(`3:0:from-${c.id}`)));
      for (const c of clients) {
        const expected = new Set(
          clients.filter((o) => o !== c).map((o) => `3:${o.id}:from-${o.id}`),
        );
        const got = new Set<string>();
        while (got.size < expected.size) {
          const line = await c.next();
          if (line.startsWith("3:")) got.add(line);
        }
        assertEquals(got, expected);
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  },
});
