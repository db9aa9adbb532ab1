/**
 * The doc test's runner on small documents written here, and on a real
 * README snippet broken on purpose: a block that does not do what its
 * document says fails, with the document, line and section, the block and
 * its output in the message.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import {
  type DocBlock,
  DocBlockError,
  DocRunner,
  MarkdownError,
  parseMarkdown,
  REPO_ROOT,
} from "../helpers/doc_blocks/mod.ts";

/** A tree to clone that holds nothing but a marker file. */
async function tinySource(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "doc-runner-source-" });
  await Deno.writeTextFile(`${path}/marker.txt`, "from the source\n");
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/**
 * Follows `markdown` (named `file`) in a fresh clone of `source`: the first
 * block error, or null when every block did what the document says.
 */
async function follow(
  file: string,
  markdown: string,
  source: string,
): Promise<DocBlockError | null> {
  await using runner = await DocRunner.create({ source, stopGraceMs: 2_000 });
  const items = parseMarkdown(file, markdown);
  try {
    await runner.prepare(items);
    for (const item of items) await runner.run(item);
    await runner.stopBackground(file, items.at(-1)?.line ?? 1);
    return null;
  } catch (error) {
    if (error instanceof DocBlockError) return error;
    throw error;
  }
}

const fence = "```";

Deno.test("doc blocks: tags and annotations decide what runs; sections and lines are kept", () => {
  const items = parseMarkdown(
    "guide.md",
    [
      "# Guide", //                                       1
      "## Start", //                                      2
      `${fence}sh`, //                                    3
      "echo run", //                                      4
      fence,
      "<!-- illustration -->", //                         6
      "",
      `${fence}sh`, //                                    8
      "rm -rf /",
      fence,
      `${fence}text`, //                                  11
      "$ shown only",
      fence,
      `${fence}`, //                                      14
      "untagged",
      fence,
      '<!-- doc-test: skip "needs root" -->', //          17
      `${fence}sh`, //                                    18
      "sudo reboot",
      fence,
      "<!-- doc-test: stop -->", //                       21
      "## Code", //                                       22
      '<!-- doc-test: background, wait-for "ready", timeout 5s -->',
      `${fence}ts`, //                                    24
      "console.log('ready');",
      fence,
      '<!-- doc-test: file "config.json" -->',
      `${fence}json`, //                                  28
      "{}",
      fence,
    ].join("\n"),
  );
  const summary = items.map((i) =>
    i.kind === "stop" ? [i.line, "stop"] : [i.line, i.kind, i.tag, i.section]
  );
  assertEquals(summary, [
    [3, "sh", "sh", "Start"],
    [8, "illustration", "sh", "Start"],
    [11, "illustration", "text", "Start"],
    [14, "illustration", "", "Start"],
    [18, "skipped", "sh", "Start"],
    [21, "stop"],
    [24, "ts", "ts", "Code"],
    [28, "file", "json", "Code"],
  ]);
  const ts = items[6] as DocBlock;
  assertEquals(ts.directives.background, true);
  assertEquals(ts.directives.timeoutMs, 5000);
  assert.ok(ts.directives.waitFor?.test("ready"));
  assertEquals(ts.code, "console.log('ready');\n");
});

Deno.test("doc blocks: a misplaced or unknown annotation is an error naming its line", () => {
  assert.throws(
    () =>
      parseMarkdown(
        "a.md",
        `text\n<!-- doc-test: background -->\nmore text\n${fence}sh\nx\n${fence}`,
      ),
    (e: Error) =>
      e instanceof MarkdownError &&
      /^a\.md:2: .* is not directly above a code fence/.test(e.message),
  );
  assert.throws(
    () =>
      parseMarkdown(
        "b.md",
        `<!-- doc-test: backgrund -->\n${fence}sh\nx\n${fence}`,
      ),
    (e: Error) =>
      e instanceof MarkdownError &&
      /^b\.md:1: unknown directive "backgrund"/.test(e.message),
  );
  assert.throws(
    () => parseMarkdown("c.md", `${fence}sh\nnever closed\n`),
    (e: Error) => /^c\.md:1: code block is never closed/.test(e.message),
  );
});

Deno.test("doc runner: a shell block that fails is reported with its document, line, section, code and output", async () => {
  await using source = await tinySource();
  const error = await follow(
    "guide.md",
    [
      "## Works",
      `${fence}sh`,
      "cat marker.txt   # the clone holds the source's files",
      'test "$HOME" != "$(cd ~root 2>/dev/null && pwd)"',
      fence,
      "## Broken on purpose",
      `${fence}sh`,
      "echo about to fail",
      "ls no-such-file",
      "echo never printed",
      fence,
    ].join("\n"),
    source.path,
  );
  assert.ok(error !== null, "the broken block fails the document");
  assertEquals([error.file, error.line], ["guide.md", 7]);
  assert.match(
    error.message,
    /^guide\.md:7 \(sh, "Broken on purpose"\) ended with exit status 2/,
  );
  assert.match(error.message, /the block:\n {4}\| echo about to fail\n/);
  assert.match(error.message, /its output:\n {4}\| about to fail\n/);
  assert.match(error.message, /no-such-file/);
  const output = error.message.slice(error.message.indexOf("its output:"));
  assert.ok(!output.includes("| never printed"), "bash -e stopped there");
});

Deno.test("doc runner: TypeScript blocks are type-checked, errors mapped to the document's lines; a block that throws fails", async () => {
  await using source = await tinySource();
  await using runner = await DocRunner.create({ source: source.path });
  const items = parseMarkdown(
    "api.md",
    [
      "## Types",
      `${fence}ts`,
      "const n: number = 1;",
      "const s: string = n;",
      "console.log(s);",
      fence,
      "## Runs",
      `${fence}ts`,
      'throw new RangeError("drifted");',
      fence,
    ].join("\n"),
  );
  await runner.prepare(items); // one deno check for both
  await assert.rejects(
    () => runner.run(items[0]!),
    (e: Error) =>
      e instanceof DocBlockError &&
      /^api\.md:2 \(ts, "Types"\) does not type-check/.test(e.message) &&
      /TS2322/.test(e.message) &&
      /api\.md:4:7/.test(e.message), // line 2 of the block
  );
  await assert.rejects(
    () => runner.run(items[1]!),
    (e: Error) =>
      e instanceof DocBlockError &&
      /^api\.md:8 \(ts, "Runs"\) ended with exit status 1/.test(e.message) &&
      /RangeError: drifted/.test(e.message),
  );
});

Deno.test("doc runner: background blocks wait for their line, run beside the next blocks, and stop with Ctrl-C", async () => {
  await using source = await tinySource();
  const ok = await follow(
    "serve.md",
    [
      '<!-- doc-test: background, wait-for "^listening" -->',
      `${fence}sh`,
      "echo $$ > server.pid; echo starting; sleep 0.2; echo listening; exec sleep 600",
      fence,
      '<!-- doc-test: output "^still there$" -->',
      `${fence}sh`,
      'kill -0 "$(cat server.pid)" && echo still there',
      fence,
    ].join("\n"),
    source.path,
  );
  assertEquals(ok, null);
  const died = await follow(
    "serve.md",
    [
      '<!-- doc-test: background, wait-for "listening" -->',
      `${fence}sh`,
      "echo port in use; exit 2",
      fence,
    ].join("\n"),
    source.path,
  );
  assert.ok(died !== null);
  assert.match(
    died.message,
    /^serve\.md:2 \(sh\) ended \(exit status 2\) before printing a line matching \/listening\/m/,
  );
  assert.match(died.message, /port in use/);
  const stubborn = await follow(
    "serve.md",
    [
      '<!-- doc-test: background, wait-for "deaf" -->',
      `${fence}sh`,
      "trap '' INT; sleep 600 & echo deaf to Ctrl-C; wait",
      fence,
    ].join("\n"),
    source.path,
  );
  assert.ok(stubborn !== null);
  assert.match(stubborn.message, /did not end within 2 s of Ctrl-C/);
});

Deno.test("doc runner: a terminal block has its prompts answered; exit and output directives are checked", async () => {
  await using source = await tinySource();
  const answered = await follow(
    "prompt.md",
    [
      '<!-- doc-test: terminal, answer "hunter2", output "got hunter2" -->',
      `${fence}sh`,
      'read -r -p "Password: " pw; echo "got $pw"',
      fence,
      "<!-- doc-test: exit 3 -->",
      `${fence}sh`,
      "exit 3",
      fence,
    ].join("\n"),
    source.path,
  );
  assertEquals(answered, null);
  const wrong = await follow(
    "prompt.md",
    `<!-- doc-test: output "^expected$" -->\n${fence}sh\necho other\n${fence}`,
    source.path,
  );
  assert.ok(wrong !== null);
  assert.match(wrong.message, /printed nothing matching \/\^expected\$\/m/);
});

Deno.test("doc runner: the README's server snippet, broken on purpose, fails the test at its line", async () => {
  const readme = await Deno.readTextFile(`${REPO_ROOT}/README.md`);
  const items = parseMarkdown("README.md", readme);
  const snippet = items.find((i) =>
    i.kind === "ts" && i.code.includes("RelayServer.start")
  );
  assert.ok(snippet !== undefined && snippet.kind === "ts");
  // The README with that one snippet drifted (an API renamed), the rest as it is.
  const lines = readme.split("\n");
  const at = lines.findIndex((l, i) =>
    i > snippet.line && l.includes("RelayServer.start")
  );
  lines[at] = lines[at]!.replace("RelayServer.start", "RelayServer.begin");
  const broken = parseMarkdown("README.md", lines.join("\n"))
    .filter((i) => i.kind === "ts" && i.line === snippet.line);
  await using runner = await DocRunner.create();
  await runner.prepare(broken);
  await assert.rejects(
    () => runner.run(broken[0]!),
    (e: Error) =>
      e instanceof DocBlockError &&
      e.message.startsWith(
        `README.md:${snippet.line} (ts, "Using it from Deno code") does not type-check`,
      ) &&
      e.message.includes(`README.md:${at + 1}:`) &&
      /'begin' does not exist/.test(e.message),
  );
});

Deno.test("doc runner: the README's old network-objects snippet (no sceneObjects) fails as the issue saw it", async () => {
  // Issue 17: "UnknownObjectError: no object -1-1 in the scene".
  const old = [
    '<!-- doc-test: background, wait-for "listening on" -->',
    `${fence}sh`,
    "deno task serve --auth open --db :memory:",
    fence,
    "### Network objects",
    `${fence}ts`,
    'import { NetworkScene, RelayClient, vec3 } from "./switchboard/client/mod.ts";',
    "await using client = await RelayClient.connect({ port: 7777 });",
    'await client.login("bob", "secret");',
    'await using scene = await NetworkScene.join(client, "room", { tickHz: 20 });',
    'scene.instantiate("avatar", { pos: vec3(0, 0, 0) }, { boundToOwner: true });',
    'if (await scene.takeOwnership("-1-1")) scene.get("-1-1")!.set("open", true);',
    fence,
  ].join("\n");
  const error = await follow("README.md", old, REPO_ROOT);
  assert.ok(error !== null);
  assert.match(
    error.message,
    /^README\.md:6 \(ts, "Network objects"\) ended with exit status 1/,
  );
  assert.match(
    error.message,
    /UnknownObjectError: no object -1-1 in the scene/,
  );
});
