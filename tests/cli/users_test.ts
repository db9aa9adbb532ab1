/** `users …` as child processes, on a real database file. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { ptyAvailability, spawnCliInPty } from "../helpers/pty.ts";
import { openStore, PasswordHasher } from "../../server/mod.ts";

const pty = await ptyAvailability();
const noPty = pty.available ? "" : ` (skipped: ${pty.reason})`;

async function tempDb(): Promise<{ db: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-cli-" });
  return {
    db: `${dir}/switchboard.db`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

async function passwordOf(db: string, user: string, password: string) {
  await using store = await openStore(db);
  const account = await store.findAccount(user);
  assert.ok(account !== null, `${user} exists`);
  return new PasswordHasher().verify(password, account.passwordHash);
}

Deno.test("users add --password-stdin: the account is stored with a hash of that password", async () => {
  await using t = await tempDb();
  const added = await runCli([
    "users",
    "add",
    "ada",
    "--password-stdin",
    "--db",
    t.db,
  ], {
    stdin: "s3cret pass\n",
  });
  assertEquals(
    [added.code, added.stdout.trim()],
    [0, "added user ada"],
    added.stderr,
  );
  assert.ok(
    await passwordOf(t.db, "ada", "s3cret pass"),
    "the newline is not part of it",
  );
  assert.ok(!(await passwordOf(t.db, "ada", "s3cret pass\n")));
  const noNewline = await runCli([
    "users",
    "add",
    "bob",
    "--password-stdin",
    "--db",
    t.db,
  ], {
    stdin: "b0b",
  });
  assertEquals(noNewline.code, 0, noNewline.stderr);
  assert.ok(await passwordOf(t.db, "bob", "b0b"));
});

Deno.test("users: duplicates, unknown users, bad names and bad passwords are clear errors with exit 1", async () => {
  await using t = await tempDb();
  const add = (name: string, stdin: string) =>
    runCli(["users", "add", name, "--password-stdin", "--db", t.db], { stdin });
  assertEquals((await add("ada", "pw\n")).code, 0);
  const cases: [Promise<{ code: number; stderr: string }>, RegExp][] = [
    [add("ada", "other\n"), /^switchboard: error: user ada already exists$/m],
    [add("a:b", "pw\n"), /username "a:b" contains ':'/],
    [add("a,b", "pw\n"), /username "a,b" contains/],
    [add("x".repeat(65), "pw\n"), /longer than 64 bytes/],
    [add("cy", "\n"), /the password is empty/],
    [add("cy", "pa:ss\n"), /the password contains ':'/],
    [
      runCli(["users", "passwd", "cy", "--password-stdin", "--db", t.db], {
        stdin: "x\n",
      }),
      /user cy does not exist/,
    ],
    [runCli(["users", "remove", "cy", "--db", t.db]), /user cy does not exist/],
    [
      runCli(["users", "disable", "cy", "--db", t.db]),
      /user cy does not exist/,
    ],
    [runCli(["users", "enable", "cy", "--db", t.db]), /user cy does not exist/],
    [
      runCli(["users", "add", "cy", "--db", t.db]),
      /not a terminal\n.*--password-stdin/,
    ],
    [
      runCli(["users", "add", "cy", "--password", "pw", "--db", t.db]),
      /unknown option '--password'/,
    ],
    [runCli(["users", "frob", "--db", t.db]), /unknown command 'frob'/],
  ];
  for (const [result, message] of cases) {
    const { code, stderr } = await result;
    assertEquals(code, 1, `${message}: ${stderr}`);
    assert.match(stderr, message);
  }
  const list = await runCli(["users", "list", "--json", "--db", t.db]);
  assertEquals(
    JSON.parse(list.stdout).map((u: { username: string }) => u.username),
    ["ada"],
  );
});

Deno.test("users passwd, disable, enable, remove, list: the table and the JSON", async () => {
  await using t = await tempDb();
  for (const name of ["bob", "ada"]) {
    assertEquals(
      (await runCli(["users", "add", name, "--password-stdin", "--db", t.db], {
        stdin: "old\n",
      })).code,
      0,
    );
  }
  const passwd = await runCli([
    "users",
    "passwd",
    "ada",
    "--password-stdin",
    "--db",
    t.db,
  ], { stdin: "new\n" });
  assertEquals([passwd.code, passwd.stdout.trim()], [
    0,
    "changed the password of ada",
  ]);
  assert.ok(await passwordOf(t.db, "ada", "new"));
  assert.ok(!(await passwordOf(t.db, "ada", "old")));
  assertEquals(
    (await runCli(["users", "disable", "bob", "--db", t.db])).stdout.trim(),
    "disabled user bob",
  );
  const table = await runCli(["users", "list", "--db", t.db]);
  assertEquals(table.code, 0);
  const lines = table.stdout.trimEnd().split("\n");
  assert.match(
    lines[0]!,
    /^USER\s+CREATED \(UTC\)\s+LAST LOGIN \(UTC\)\s+STATUS$/,
  );
  assert.match(
    lines[1]!,
    /^ada\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+never\s+enabled$/,
  );
  assert.match(lines[2]!, /^bob\s+.*\s+disabled$/);
  assert.ok(!table.stdout.includes("scrypt"), "never shows hashes");
  const json = JSON.parse(
    (await runCli(["users", "list", "--json", "--db", t.db])).stdout,
  );
  assertEquals(
    json.map((
      u: { username: string; disabled: boolean; lastLoginAt: null },
    ) => [u.username, u.disabled, u.lastLoginAt]),
    [
      ["ada", false, null],
      ["bob", true, null],
    ],
  );
  assert.ok(!Number.isNaN(Date.parse(json[0].createdAt)));
  assertEquals(
    (await runCli(["users", "enable", "bob", "--db", t.db])).code,
    0,
  );
  assertEquals(
    (await runCli(["users", "remove", "bob", "--db", t.db])).stdout.trim(),
    "removed user bob",
  );
  const after = JSON.parse(
    (await runCli(["users", "list", "--json", "--db", t.db])).stdout,
  );
  assertEquals(after.map((u: { username: string }) => u.username), ["ada"]);
});

Deno.test("users list on an empty database says so; a database that cannot be opened is an error", async () => {
  await using t = await tempDb();
  await (await openStore(t.db)).close();
  const empty = await runCli(["users", "list", "--db", t.db]);
  assertEquals([empty.code, empty.stdout.trim()], [
    0,
    `no accounts in ${t.db}`,
  ]);
  assertEquals(
    (await runCli(["users", "list", "--json", "--db", t.db])).stdout.trim(),
    "[]",
  );
  const bad = await runCli(["users", "list", "--db", "/nonexistent-dir/x.db"]);
  assertEquals(bad.code, 1);
  assert.match(
    bad.stderr,
    /^switchboard: error: there is no database \/nonexistent-dir\/x\.db/,
  );
});

Deno.test({
  name: `users add on a terminal: asks twice, shows nothing typed${noPty}`,
  ignore: !pty.available,
  async fn() {
    await using t = await tempDb();
    await using child = spawnCliInPty(["users", "add", "ada", "--db", t.db]);
    await child.waitFor(/Password for ada: $/);
    await child.type("hunter22\r");
    await child.waitFor(/Again: $/);
    await child.type("hunter22\r");
    const { code, screen } = await child.finished();
    assertEquals(code, 0, screen);
    assert.match(screen, /added user ada/);
    assert.ok(
      !screen.includes("hunter22"),
      `the password was echoed: ${JSON.stringify(screen)}`,
    );
    assert.ok(await passwordOf(t.db, "ada", "hunter22"));
  },
});

Deno.test({
  name:
    `users add on a terminal: backspace edits, differing entries are refused${noPty}`,
  ignore: !pty.available,
  async fn() {
    await using t = await tempDb();
    {
      await using child = spawnCliInPty(["users", "add", "ada", "--db", t.db]);
      await child.waitFor(/Password for ada: $/);
      await child.type("pw1\r");
      await child.waitFor(/Again: $/);
      await child.type("pw2\r");
      const { code, screen } = await child.finished();
      assertEquals(code, 1);
      assert.match(screen, /the two passwords differ/);
    }
    const list = await runCli(["users", "list", "--json", "--db", t.db]);
    assertEquals(JSON.parse(list.stdout), [], "nothing was added");
    {
      await using child = spawnCliInPty(["users", "add", "ada", "--db", t.db]);
      await child.waitFor(/Password for ada: $/);
      await child.type("pwX\x7f1\r");
      await child.waitFor(/Again: $/);
      await child.type("pw1\r");
      assertEquals((await child.finished()).code, 0);
    }
    assert.ok(await passwordOf(t.db, "ada", "pw1"));
  },
});

Deno.test({
  name: `users passwd on a terminal; Ctrl-C abandons it${noPty}`,
  ignore: !pty.available,
  async fn() {
    await using t = await tempDb();
    assertEquals(
      (await runCli(["users", "add", "ada", "--password-stdin", "--db", t.db], {
        stdin: "old\n",
      })).code,
      0,
    );
    {
      await using child = spawnCliInPty([
        "users",
        "passwd",
        "ada",
        "--db",
        t.db,
      ]);
      await child.waitFor(/New password for ada: $/);
      await child.type("half\x03");
      const { code, screen } = await child.finished();
      assertEquals(code, 1);
      assert.match(screen, /no password entered/);
    }
    assert.ok(await passwordOf(t.db, "ada", "old"), "unchanged");
    {
      await using child = spawnCliInPty([
        "users",
        "passwd",
        "ada",
        "--db",
        t.db,
      ]);
      await child.waitFor(/New password for ada: $/);
      await child.type("brand new\r");
      await child.waitFor(/Again: $/);
      await child.type("brand new\r");
      assertEquals((await child.finished()).code, 0);
    }
    assert.ok(await passwordOf(t.db, "ada", "brand new"));
  },
});
