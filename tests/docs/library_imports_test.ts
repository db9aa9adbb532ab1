/**
 * The README's `deno.json` for a project that uses the library (README,
 * "Using it from Deno code") maps every npm package the library's modules
 * import, at the version this repository pins: the doc test runs the
 * snippets with it, and this catches a version bump that would still run.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { parseMarkdown, REPO_ROOT } from "../helpers/doc_blocks/mod.ts";

/** Bare specifiers the library's modules import (not `node:`, not relative). */
async function libraryImports(): Promise<Set<string>> {
  const found = new Set<string>();
  for (const folder of ["client", "protocol", "net", "server"]) {
    for await (const path of walk(`${REPO_ROOT}/${folder}`)) {
      const source = await Deno.readTextFile(path);
      for (
        const match of source.matchAll(
          /(?:from\s+|@ts-types=)"([^".][^"]*)"/g,
        )
      ) {
        const specifier = match[1]!;
        if (specifier.startsWith("node:")) continue;
        // "kysely/migration" is mapped by "kysely"
        found.add(
          specifier.startsWith("@")
            ? specifier.split("/").slice(0, 2).join("/")
            : specifier.split("/")[0]!,
        );
      }
    }
  }
  return found;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

Deno.test("docs: the README's deno.json for a project of one's own maps each package the library imports, at our pinned version", async () => {
  const readme = parseMarkdown(
    "README.md",
    await Deno.readTextFile(`${REPO_ROOT}/README.md`),
  );
  const block = readme.find((i) =>
    i.kind === "file" && i.directives.file === "deno.json"
  );
  assert.ok(block !== undefined && block.kind === "file", "the block is there");
  const documented: Record<string, string> = JSON.parse(block.code).imports;
  const pinned: Record<string, string> = JSON.parse(
    await Deno.readTextFile(`${REPO_ROOT}/deno.json`),
  ).imports;
  const used = [...await libraryImports()].sort();
  assertEquals(
    used.filter((name) => !(name in documented)),
    [],
    "imported by the library but missing from the README's deno.json",
  );
  for (const [name, target] of Object.entries(documented)) {
    assertEquals(target, pinned[name], `README's ${name} against deno.json`);
  }
});
