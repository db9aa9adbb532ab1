/**
 * Revocation on a deployment: two real `serve --cluster` nodes on one Redis,
 * their accounts in one SQLite file. A user on node 0, in a room with a
 * member on node 1, is disabled from another handle on the file: its
 * session ends within 2 s (each node polls the revocations), and the member
 * on the other node is told it left.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { CHEAP_SCRYPT } from "../../helpers/accounts_server.ts";
import { startDeployment } from "../../helpers/deployment.ts";
import { redisAvailability } from "../../helpers/redis.ts";
import {
  AccountAdmin,
  openStore,
  PasswordHasher,
} from "../../../server/mod.ts";

const redis = await redisAvailability();

Deno.test({
  name: `cluster: users disable ends a session whose room spans nodes${
    redis.available ? "" : ` (skipped: ${redis.reason})`
  }`,
  ignore: !redis.available,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "switchboard-revoke-" });
    try {
      const db = `${dir}/switchboard.db`;
      await using store = await openStore(db);
      const admin = new AccountAdmin(store, {
        hasher: new PasswordHasher({ params: CHEAP_SCRYPT }),
      });
      await admin.add("ada", "ada-pw");
      await admin.add("bob", "bob-pw");
      await using d = await startDeployment({
        nodes: 2,
        args: ["--auth", "accounts", "--db", db],
      });
      const ada = await d.user("ada", 0, "ada-pw");
      await ada.send("2:lobby");
      assertEquals(await ada.take(2), [`2:${ada.id}:lobby`, `4:${ada.id}`]);
      const bob = await d.user("bob", 1, "bob-pw");
      await bob.send("2:lobby");
      assertEquals(await bob.take(3), [
        `2:${bob.id}:lobby`,
        `2:${ada.id}:lobby`,
        `4:${ada.id}`,
      ]);
      assertEquals(await ada.next(), `2:${bob.id}:lobby`);

      await admin.disable("ada");
      const start = performance.now();
      assertEquals(await ada.take(2), [
        "9:0:revoked:your account was disabled",
        "0:-1",
      ]);
      const took = performance.now() - start;
      assert.ok(took < 2_000, `the session ended after ${Math.round(took)} ms`);
      assertEquals(await bob.take(2), [`2:${ada.id}:`, `4:${bob.id}`]);
      const again = await d.client(1);
      await again.send("0:ada:ada-pw");
      assertEquals(await again.next(), "0:-1", "on the other node too");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
