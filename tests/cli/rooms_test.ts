/** `rooms …` as child processes, on a real database file. */
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

Deno.test("rooms add, list, remove: the table, the JSON, the stored hash", async () => {
  await using t = await tempDb();
  const ok = async (args: string[], stdin?: string) => {
    const r = await runCli([...args, "--db", t.db], { stdin });
    assertEquals(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  assertEquals(await ok(["rooms", "add", "lobby"]), "added room lobby");
  assertEquals(
    await ok(["rooms", "add", "arena", "--max", "8"]),
    "added room arena",
  );
  assertEquals(
    await ok(
      ["rooms", "add", "den", "--private", "--password-stdin"],
      "door\n",
    ),
    "added room den",
  );
  assertEquals(
    await ok(
      ["rooms", "add", "vault", "--password-stdin", "--max", "2"],
      "code\n",
    ),
    "added room vault",
  );
  const table = (await ok(["rooms", "list"])).split("\n");
  assert.match(
    table[0]!,
    /^ROOM\s+VISIBILITY\s+PASSWORD\s+MAX\s+CREATED \(UTC\)$/,
  );
  const rows = table.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 4));
  assertEquals(
    new Set(rows.map((r) => r.join(" "))),
    new Set([
      "lobby public no -",
      "arena public no 8",
      "den private yes -",
      "vault public yes 2",
    ]),
  );
  const json = JSON.parse(await ok(["rooms", "list", "--json"])) as {
    name: string;
    isPrivate: boolean;
    hasPassword: boolean;
    maxMembers: number | null;
  }[];
  assertEquals(json.find((r) => r.name === "den"), {
    ...json.find((r) => r.name === "den")!,
    isPrivate: true,
    hasPassword: true,
    maxMembers: null,
  });
  {
    await using store = await openStore(t.db);
    const den = (await store.listRooms()).find((r) => r.name === "den")!;
    assert.match(den.passwordHash!, /^scrypt\$/);
    assert.ok(await new PasswordHasher().verify("door", den.passwordHash!));
  }
  assertEquals(await ok(["rooms", "remove", "arena"]), "removed room arena");
  const names = JSON.parse(await ok(["rooms", "list", "--json"])).map((
    r: { name: string },
  ) => r.name);
  assertEquals(names.includes("arena"), false);
  assertEquals(names.length, 3);
});

Deno.test("rooms: duplicates, unknown rooms, bad names, limits and private rooms without a password are refused", async () => {
  await using t = await tempDb();
  assertEquals((await runCli(["rooms", "add", "lobby", "--db", t.db])).code, 0);
  const cases: [string[], string | undefined, RegExp][] = [
    [
      ["rooms", "add", "lobby"],
      undefined,
      /^switchboard: error: room lobby already exists$/m,
    ],
    [
      ["rooms", "add", "-1"],
      undefined,
      /room name "-1" is reserved for leaving/,
    ],
    [["rooms", "add", "a:b"], undefined, /room name "a:b" contains ':'/],
    [
      ["rooms", "add", "big", "--max", "0"],
      undefined,
      /--max.*whole number from 1/,
    ],
    [
      ["rooms", "add", "big", "--max", "x"],
      undefined,
      /--max.*whole number from 1/,
    ],
    [
      ["rooms", "add", "den", "--private"],
      undefined,
      /not a terminal\n.*--password-stdin/,
    ],
    [
      ["rooms", "add", "den", "--private", "--password-stdin"],
      "\n",
      /a private room needs a password/,
    ],
    [
      ["rooms", "add", "den", "--password-stdin"],
      "a,b\n",
      /the password contains/,
    ],
    [["rooms", "remove", "nowhere"], undefined, /room nowhere does not exist/],
  ];
  for (const [args, stdin, message] of cases) {
    const r = await runCli([...args, "--db", t.db], { stdin });
    assertEquals(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(" "));
  }
  const names = JSON.parse(
    (await runCli(["rooms", "list", "--json", "--db", t.db])).stdout,
  );
  assertEquals(names.map((r: { name: string }) => r.name), ["lobby"]);
});

Deno.test("rooms list on an empty database says so", async () => {
  await using t = await tempDb();
  await (await openStore(t.db)).close();
  const r = await runCli(["rooms", "list", "--db", t.db]);
  assertEquals([r.code, r.stdout.trim()], [0, `no declared rooms in ${t.db}`]);
});

Deno.test({
  name:
    `rooms add --private on a terminal asks for the password without echo${noPty}`,
  ignore: !pty.available,
  async fn() {
    await using t = await tempDb();
    await using child = spawnCliInPty([
      "rooms",
      "add",
      "den",
      "--private",
      "--max",
      "4",
      "--db",
      t.db,
    ]);
    await child.waitFor(/Password for room den: $/);
    await child.type("trapdoor\r");
    await child.waitFor(/Again: $/);
    await child.type("trapdoor\r");
    const { code, screen } = await child.finished();
    assertEquals(code, 0, screen);
    assert.ok(!screen.includes("trapdoor"));
    await using store = await openStore(t.db);
    const [den] = await store.listRooms();
    assertEquals([den?.name, den?.isPrivate, den?.maxMembers], [
      "den",
      true,
      4,
    ]);
    assert.ok(
      await new PasswordHasher().verify("trapdoor", den!.passwordHash!),
    );
  },
});
