/**
 * A held session is revocable like any other: with accounts, `users disable`
 * (from another handle on the database, as the admin command does) while ada
 * is away ends her held session — her room sees her leave — and her resume is
 * refused; a fresh login is refused too.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  CHEAP_SCRYPT,
  startAccountsServer,
} from "../../helpers/accounts_server.ts";
import { ResumeState } from "../../helpers/resume_lines.ts";
import {
  AccountAdmin,
  openStore,
  PasswordHasher,
} from "../../../server/mod.ts";

Deno.test("resume: an account disabled while its session is held ends that session; the resume is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-resume-" });
  try {
    const db = `${dir}/switchboard.db`;
    await using t = await startAccountsServer({
      db,
      accounts: { ada: "pw", bob: "pw" },
    });
    const ada = await t.member("ada", "lobby");
    const bob = await t.member("bob", "lobby");
    assertEquals(await ada.next(), `2:${bob.id}:lobby`);
    const state = await ResumeState.enable(ada);
    await ada.close();
    assertEquals(await bob.next(), `6:${ada.id}:away`);
    {
      const store = await openStore(db);
      try {
        await new AccountAdmin(store, {
          hasher: new PasswordHasher({ params: CHEAP_SCRYPT }),
        }).disable("ada");
      } finally {
        await store.close();
      }
    }
    assertEquals(await bob.take(2), [`2:${ada.id}:`, `4:${bob.id}`]);
    assertEquals(t.server.heldSessionCount, 0);
    const back = await t.client();
    assert.match(
      String(await state.resumeOn(back)),
      /^9:7:resume-refused:/,
    );
    await back.send("0:ada:pw");
    assertEquals(await back.next(), "0:-1");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
