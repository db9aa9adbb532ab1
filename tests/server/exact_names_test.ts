/**
 * Names are the exact bytes on the wire: a leading UTF-8 BOM (EF BB BF) is
 * part of the name, never stripped, so `\uFEFFada` is another user than
 * `ada` and `\uFEFFlobby` another room than `lobby`.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { startAccountsServer } from "../helpers/accounts_server.ts";
import { startServer } from "../helpers/server.ts";
import { decodeClientLine, decodeServerLine } from "../../protocol/mod.ts";
import { decodeIncoming } from "../../client/mod.ts";

const BOM = "\ufeff";
const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("exact names: the decoders keep a leading BOM in every name", () => {
  assertEquals(decodeClientLine(bytes(`0:${BOM}ada:pw`)), {
    kind: "login",
    username: `${BOM}ada`,
    password: "pw",
  });
  assertEquals(decodeClientLine(bytes(`0:ada:${BOM}pw`)), {
    kind: "login",
    username: "ada",
    password: `${BOM}pw`,
  });
  assertEquals(decodeClientLine(bytes(`2:${BOM}lobby`)), {
    kind: "join",
    room: `${BOM}lobby`,
    password: "",
  });
  assertEquals(decodeServerLine(bytes(`2:7:${BOM}lobby`)), {
    kind: "joined",
    id: 7,
    room: `${BOM}lobby`,
  });
  const incoming = decodeIncoming(bytes(`1:${BOM}lobby-2`));
  assertEquals(incoming.message, {
    kind: "room-list",
    rooms: [{ name: `${BOM}lobby`, count: 2 }],
  });
});

Deno.test("exact names: with a BOM, a login is another user and does not supersede the first", async () => {
  await using t = await startServer();
  const ada = await t.user("ada");
  const twin = await t.user(`${BOM}ada`);
  assert.notEqual(twin.id, ada.id);
  assertEquals(await ada.sync(), [], "ada's session was not ended");
  assertEquals(await twin.sync(), []);
  assertEquals(t.server.sessionCount, 2);
});

Deno.test("exact names: with a BOM, a room is another room", async () => {
  await using t = await startServer();
  const ada = await t.member("ada", "lobby");
  const bob = await t.member("bob", `${BOM}lobby`);
  await bob.send("1:");
  const list = await bob.next();
  assertEquals(list, `1:lobby-1,${BOM}lobby-1`);
  await bob.send("3:0:only my room");
  assertEquals(await ada.sync(), [], "ada is alone in lobby");
  assertEquals(t.server.roomCount, 2);
});

Deno.test("exact names: with accounts, a BOM name is an unknown user, and can be an account of its own", async () => {
  await using t = await startAccountsServer({ accounts: { ada: "s3cret" } });
  const c = await t.client();
  await c.send(`0:${BOM}ada:s3cret`);
  assertEquals(await c.next(), "0:-1");
  const ada = await t.client();
  await ada.login("ada", "s3cret");
  await t.accounts.add(`${BOM}ada`, "other");
  const twin = await t.client();
  await twin.login(`${BOM}ada`, "other");
  assertEquals(await ada.sync(), [], "ada's session was not superseded");
  assertEquals(
    (await t.accounts.list()).map((a) => a.username).sort(),
    ["ada", `${BOM}ada`],
  );
});
