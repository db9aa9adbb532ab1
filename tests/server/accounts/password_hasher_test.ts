/** scrypt hashes: the stored form, verification, bad stored values. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  DEFAULT_SCRYPT,
  parseHash,
  PasswordHasher,
  PasswordHashFormatError,
} from "../../../server/accounts/password_hasher.ts";

const cheap = { N: 1024, r: 8, p: 1 };

Deno.test("password hash: stored with its parameters and salt, verifies only its password", async () => {
  const hasher = new PasswordHasher({ params: cheap });
  const a = await hasher.hash("correct horse");
  const b = await hasher.hash("correct horse");
  assert.match(a, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
  assert.notEqual(a, b, "each hash has its own salt");
  assertEquals(parseHash(a).salt.length, 16);
  assertEquals(parseHash(a).key.length, 32);
  assert.ok(await hasher.verify("correct horse", a));
  assert.ok(await hasher.verify("correct horse", b));
  for (const wrong of ["", "correct horse ", "Correct horse", "correct hors"]) {
    assert.equal(await hasher.verify(wrong, a), false, wrong);
  }
  assert.ok(!a.includes("correct"));
});

Deno.test("password hash: old parameters keep verifying after the default is raised", async () => {
  const old = await new PasswordHasher({ params: cheap }).hash("pw");
  const current = new PasswordHasher();
  assertEquals(current.params, DEFAULT_SCRYPT);
  assert.ok(await current.verify("pw", old));
  assert.match(await current.hash("pw"), /^scrypt\$16384\$8\$1\$/);
});

Deno.test("password hash: non-ASCII passwords", async () => {
  const hasher = new PasswordHasher({ params: cheap });
  const stored = await hasher.hash("pässwörd 名前 🎲");
  assert.ok(await hasher.verify("pässwörd 名前 🎲", stored));
  assert.equal(await hasher.verify("passwort 名前 🎲", stored), false);
});

Deno.test("password hash: the dummy hash has the current parameters and is made once", async () => {
  const hasher = new PasswordHasher({ params: cheap });
  const dummy = await hasher.dummyHash();
  assertEquals(parseHash(dummy).params, cheap);
  assertEquals(await hasher.dummyHash(), dummy);
});

Deno.test("password hash: unusable stored values are refused with a clear error", async () => {
  const hasher = new PasswordHasher({ params: cheap });
  const good = await hasher.hash("pw");
  const [, , , , salt, key] = good.split("$");
  const bad = [
    "",
    "plain",
    "bcrypt$10$abc",
    `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
    `scrypt$1$8$1$${salt}$${key}`,
    `scrypt$1048576$16$1$${salt}$${key}`, // 2 GiB of memory
    `scrypt$1024$0$1$${salt}$${key}`,
    `scrypt$1024$8$1$***$${key}`,
    `scrypt$1024$8$1$AAAA$${key}`, // 3-byte salt
    `scrypt$1024$8$1$${salt}$AAAA`,
    `scrypt$1024$8$1$${salt}`,
    `scrypt$1024$8$1$${salt}$${key}$extra`,
    `scrypt$-1024$8$1$${salt}$${key}`,
  ];
  for (const stored of bad) {
    await assert.rejects(hasher.verify("pw", stored), (e: unknown) => {
      assert.ok(e instanceof PasswordHashFormatError, stored);
      assert.ok(e instanceof TypeError);
      assertEquals(e.code, "bad-password-hash");
      return true;
    }, stored);
  }
});

Deno.test("password hash: options are checked", () => {
  assert.throws(() => new PasswordHasher({ maxConcurrent: 0 }), RangeError);
  assert.throws(
    () => new PasswordHasher({ params: { N: 3, r: 8, p: 1 } }),
    PasswordHashFormatError,
  );
});

Deno.test("password hash: with one slot, hashes queue and all complete", async () => {
  const hasher = new PasswordHasher({ params: cheap, maxConcurrent: 1 });
  const stored = await Promise.all(
    Array.from({ length: 6 }, (_, i) => hasher.hash(`pw${i}`)),
  );
  const checks = await Promise.all(
    stored.map((s, i) => hasher.verify(`pw${i}`, s)),
  );
  assertEquals(checks, Array(6).fill(true));
});
