/**
 * Every script in examples/ runs against a server this test starts and must
 * exit 0. Scripts in a folder run together, started in name order, each
 * once the one before has joined its room.
 */
import { assertEquals } from "../helpers/assert.ts";
import { type CliChild, readAll, readUntil, spawnCli } from "../helpers/cli.ts";
import { startServer } from "../helpers/server.ts";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

async function finish(
  child: CliChild,
  name: string,
  rest: ReadableStream<string>,
) {
  const out = await readAll(rest);
  const { code } = await child.process.status;
  assertEquals(code, 0, `${name} failed:\n${await child.stderrText()}\n${out}`);
}

const entries = [...Deno.readDirSync(EXAMPLES)]
  .filter((e) => e.isDirectory || e.name.endsWith(".txt"))
  .sort((a, b) => a.name.localeCompare(b.name));

for (const entry of entries) {
  Deno.test(`examples: ${entry.name}`, async () => {
    await using t = await startServer();
    const run = (file: string) =>
      spawnCli(["connect", `127.0.0.1:${t.port}`, "--script", file]);
    if (!entry.isDirectory) {
      await using child = run(`${EXAMPLES}${entry.name}`);
      await finish(child, entry.name, child.stdout);
      return;
    }
    const dir = `${EXAMPLES}${entry.name}/`;
    const files = [...Deno.readDirSync(dir)].map((e) => e.name)
      .filter((n) => n.endsWith(".txt")).sort();
    const children: {
      name: string;
      child: CliChild;
      rest: ReadableStream<string>;
    }[] = [];
    try {
      for (const name of files) {
        const child = run(dir + name);
        const [watch, rest] = child.stdout.tee();
        children.push({ name, child, rest });
        if (name !== files.at(-1)) await readUntil(watch, /^< 4:/m, 30_000);
        void watch.cancel().catch(() => {});
      }
      await Promise.all(
        children.map(({ name, child, rest }) => finish(child, name, rest)),
      );
    } finally {
      for (const { child } of children) await child[Symbol.asyncDispose]();
    }
  });
}
