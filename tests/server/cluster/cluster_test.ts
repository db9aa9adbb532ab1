/**
 * The protocol's behaviours on a deployment: a real Redis, a real
 * PostgreSQL holding the accounts and declared rooms, and three real
 * `serve --cluster` nodes, with the clients of each room spread over the
 * three nodes. One deployment serves every step (each step uses rooms and
 * users of its own).
 */
import { assertEquals, assertMatch } from "../../helpers/assert.ts";
import { CHEAP_SCRYPT } from "../../helpers/accounts_server.ts";
import { type Member, startDeployment } from "../../helpers/deployment.ts";
import { postgresAvailability, startPostgres } from "../../helpers/postgres.ts";
import { redisAvailability } from "../../helpers/redis.ts";
import { UdpClient } from "../../helpers/udp_client.ts";
import {
  AccountAdmin,
  openStore,
  PasswordHasher,
  RoomAdmin,
} from "../../../server/mod.ts";

const redis = await redisAvailability();
const pg = await postgresAvailability();
const missing = !redis.available
  ? redis.reason
  : !pg.available
  ? pg.reason
  : null;

const USERS = [
  "ada",
  "bob",
  "cy",
  "di",
  "eve",
  "fay",
  "gus",
  "hal",
  "ivy",
  "jo",
  "kim",
  "lu",
  "max",
  "ned",
  "oz",
];

/** Reads lines until one matching `pattern`; returns the lines before it and it. */
async function until(client: Member, pattern: RegExp): Promise<string[]> {
  const seen: string[] = [];
  while (true) {
    const line = await client.next();
    seen.push(line);
    if (pattern.test(line)) return seen;
  }
}

Deno.test({
  name: `cluster: the protocol with one room's clients on three nodes${
    missing ? ` (skipped: ${missing})` : ""
  }`,
  ignore: missing !== null,
  async fn(t) {
    if (!pg.available) return;
    await using postgres = await startPostgres(pg);
    const db = await postgres.freshDatabase();
    {
      await using store = await openStore(db);
      const hasher = new PasswordHasher({ params: CHEAP_SCRYPT });
      const accounts = new AccountAdmin(store, { hasher });
      for (const name of USERS) await accounts.add(name, `${name}-pw`);
      const rooms = new RoomAdmin(store, { hasher });
      await rooms.add({ name: "hall" });
      await rooms.add({ name: "vault", password: "key", isPrivate: true });
      await rooms.add({ name: "booth", maxMembers: 1 });
    }
    await using d = await startDeployment({
      args: ["--auth", "accounts", "--db", db],
    });
    const login = (name: string, node: number) =>
      d.user(name, node, `${name}-pw`);
    const member = async (name: string, room: string, node: number) => {
      const c = await login(name, node);
      await c.send(`2:${room}`);
      await until(c, /^4:/);
      return c;
    };

    await t.step("every node has its own id in its ready line", () => {
      const ids = d.nodes.map((n) => n.node);
      assertEquals(new Set(ids).size, 3, `${ids}`);
    });

    await t.step("join sequence across nodes", async () => {
      const ada = await login("ada", 0);
      const bob = await login("bob", 1);
      const cy = await login("cy", 2);
      assertEquals(new Set([ada.id, bob.id, cy.id]).size, 3);
      await ada.send("2:lobby");
      assertEquals(await ada.take(2), [`2:${ada.id}:lobby`, `4:${ada.id}`]);
      await bob.send("2:lobby");
      assertEquals(await bob.take(3), [
        `2:${bob.id}:lobby`,
        `2:${ada.id}:lobby`,
        `4:${ada.id}`,
      ]);
      assertEquals(await ada.next(), `2:${bob.id}:lobby`);
      await cy.send("2:lobby");
      assertEquals(await cy.take(4), [
        `2:${cy.id}:lobby`,
        `2:${ada.id}:lobby`,
        `2:${bob.id}:lobby`,
        `4:${ada.id}`,
      ]);
      assertEquals(await ada.next(), `2:${cy.id}:lobby`);
      assertEquals(await bob.next(), `2:${cy.id}:lobby`);

      // Every send mode, from every node.
      await ada.send("3:0:zero");
      assertEquals(await bob.next(), `3:${ada.id}:zero`);
      assertEquals(await cy.next(), `3:${ada.id}:zero`);
      await bob.send("3:1:one");
      for (const c of [ada, bob, cy]) {
        assertEquals(await c.next(), `3:${bob.id}:one`);
      }
      await cy.send("3:2:two:with:colons");
      assertEquals(await ada.next(), `3:${cy.id}:two:with:colons`);
      assertEquals(await bob.next(), `3:${cy.id}:two:with:colons`);
      await ada.send("3:3:three");
      for (const c of [ada, bob, cy]) {
        assertEquals(await c.next(), `3:${ada.id}:three`);
      }
      // Nothing else arrived: the next line for each is its own sync answer.
      for (const c of [ada, bob, cy]) assertEquals(await c.sync(), []);

      // Master succession: the master (ada, node 0) leaves.
      await ada.send("2:-1");
      assertEquals(await ada.next(), `2:${ada.id}:`);
      for (const c of [bob, cy]) {
        assertEquals(await c.take(2), [`2:${ada.id}:`, `4:${bob.id}`]);
      }
      // A disconnect (node 1) passes it on again.
      await bob.close();
      assertEquals(await cy.take(2), [`2:${bob.id}:`, `4:${cy.id}`]);
      // The list counts every node's members.
      await ada.send("2:lobby");
      await until(ada, /^4:/);
      assertEquals(await cy.next(), `2:${ada.id}:lobby`);
      await cy.send("1:");
      assertMatch(await cy.next(), /^1:(.*,)?lobby-2(,|$)/);
    });

    await t.step("3:4 and groups reach users on any node", async () => {
      const di = await login("di", 0);
      const eve = await login("eve", 1);
      const fay = await member("fay", "elsewhere", 2);
      await di.send(`3:4:${eve.id}:${fay.id}:${eve.id}:whisper`);
      assertEquals(await eve.next(), `3:${di.id}:whisper`);
      assertEquals(await fay.next(), `3:${di.id}:whisper`);
      await di.send(`3:4:${eve.id}:999999:maybe`);
      assertEquals(await eve.next(), `3:${di.id}:maybe`);
      assertEquals(
        await di.next(),
        "9:3:unknown-recipients:no session 999999",
      );
      await eve.send(`5:team:${di.id}:${fay.id}:424242`, "4:team:go");
      assertEquals(await di.next(), `3:${eve.id}:go`);
      assertEquals(await fay.next(), `3:${eve.id}:go`);
      assertEquals(await eve.sync(), []);
    });

    await t.step("a login on another node ends the first session", async () => {
      const gus = await member("gus", "den", 0);
      const hal = await member("hal", "den", 1);
      assertEquals(await gus.next(), `2:${hal.id}:den`);
      const again = await login("gus", 2);
      assertEquals(await gus.take(3), [
        "9:0:superseded:you logged in on another connection",
        "0:-1",
        `2:${gus.id}:`,
      ]);
      await gus.closed();
      assertEquals(await hal.take(2), [`2:${gus.id}:`, `4:${hal.id}`]);
      assertEquals(await again.sync(), []);
      // Wrong passwords are still refused on every node.
      const wrong = await d.client(1);
      await wrong.send("0:hal:nope");
      assertEquals(await wrong.next(), "0:-1");
    });

    await t.step("1: lists every room of the deployment", async () => {
      const ivy = await member("ivy", "attic", 0);
      const jo = await member("jo", "attic", 1);
      const kim = await login("kim", 2);
      await kim.send("2:secret:pw");
      await until(kim, /^4:/);
      await kim.send("1:");
      const list = (await kim.next()).slice(2).split(",");
      assertEquals(list.includes("attic-2"), true, `${list}`);
      assertEquals(list.includes("hall-0"), true, `${list}`);
      assertEquals(list.includes("secret-1"), false, `${list}`);
      assertEquals(list.some((r) => r.startsWith("vault")), false, `${list}`);
      await ivy.send("1:pw");
      const withPassword = (await until(ivy, /^1:/)).at(-1)!;
      assertMatch(withPassword, /secret-1/);
      await jo.send("1:key");
      assertMatch((await until(jo, /^1:/)).at(-1)!, /vault-0/);
      // A declared room's password is checked on every node.
      await jo.send("2:vault:wrong");
      assertEquals(
        (await until(jo, /^9:/)).at(-1),
        "9:2:wrong-password:room vault needs its password",
      );
      await jo.send("2:vault:key");
      await until(jo, /^4:/);
      await kim.send("1:key");
      assertMatch(await kim.next(), /vault-1/);
      // An ad-hoc private room needs its password on every node, and a
      // refused join leaves the client where it was (ivy is alone in attic).
      await ivy.send("2:secret:nope");
      assertEquals(
        (await until(ivy, /^9:/)).at(-1),
        "9:2:wrong-password:room secret needs its password",
      );
      await ivy.send("1:");
      assertMatch((await until(ivy, /^1:/)).at(-1)!, /(^1:|,)attic-1(,|$)/);
      // A declared room's member limit counts every node's members.
      const oz = await login("oz", 1);
      await oz.send("2:booth");
      await until(oz, /^4:/);
      await kim.send("2:booth");
      assertEquals(
        (await until(kim, /^9:/)).at(-1),
        "9:2:room-full:room booth is full (1 members)",
      );
      await kim.send("1:pw");
      assertMatch((await until(kim, /^1:/)).at(-1)!, /(^1:|,)secret-1(,|$)/);
    });

    await t.step("UDP datagrams reach members on other nodes", async () => {
      const lu = await member("lu", "field", 0);
      const max = await member("max", "field", 1);
      const ned = await member("ned", "field", 2);
      await lu.take(2);
      await max.next();
      await using udp = UdpClient.open(d.nodes[0]!.udpPort!);
      await using maxUdp = UdpClient.open(d.nodes[1]!.udpPort!);
      assertEquals(
        await udp.handshake(lu.id, lu.secret),
        `0:${lu.id}:connected`,
      );
      assertEquals(
        await maxUdp.handshake(max.id, max.secret),
        `0:${max.id}:connected`,
      );
      // ned (node 2) has no channel: it gets the line over TCP.
      await udp.send("3:0:pos 1 2 3");
      assertEquals(await maxUdp.next(), `3:${lu.id}:pos 1 2 3`);
      assertEquals(await ned.next(), `3:${lu.id}:pos 1 2 3`);
      await maxUdp.send(`3:4:${lu.id}:${ned.id}:ping`);
      assertEquals(await udp.next(), `3:${max.id}:ping`);
      assertEquals(await ned.next(), `3:${max.id}:ping`);
      assertEquals(await lu.sync(), []);
    });
  },
});
