/**
 * The README's `deno.json` for a project that uses the library (README,
 * "Using it from Deno code") maps every npm package the module graphs of
 * the library's entry points use, at the version this repository pins:
 * the doc test runs the snippets with it, and this catches a version bump
 * that would still run.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { parseMarkdown, REPO_ROOT } from "../helpers/doc_blocks/mod.ts";

/** The library's entry points: what a project of one's own imports. */
const ENTRY_POINTS = [
  "client/mod.ts",
  "server/mod.ts",
  "protocol/mod.ts",
  "net/mod.ts",
];

/** `npm:@types/ws@8.18.2` and `npm:/kysely@0.29.9/migration` -> the package. */
function packageOf(specifier: string): string {
  const rest = specifier.replace(/^npm:\/?/, "");
  const parts = rest.split("/");
  const name = rest.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  return name.replace(/(.)@.*$/, "$1");
}

/** The npm packages the entry points' module graphs use (code and types). */
async function libraryPackages(): Promise<Set<string>> {
  const found = new Set<string>();
  for (const entry of ENTRY_POINTS) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: REPO_ROOT,
      stdout: "piped",
      stderr: "null",
    }).output();
    const graph = JSON.parse(new TextDecoder().decode(out.stdout));
    for (const module of graph.modules) {
      for (const dep of module.dependencies ?? []) {
        for (const resolved of [dep.code?.specifier, dep.type?.specifier]) {
          if (resolved?.startsWith("npm:")) found.add(packageOf(resolved));
        }
      }
    }
  }
  return found;
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
  const used = [...await libraryPackages()].sort();
  assert.ok(used.includes("kysely"), `the graph was read: ${used}`);
  assertEquals(
    used.filter((name) => !(name in documented)),
    [],
    "used by the library's entry points but missing from the README's deno.json",
  );
  for (const [name, target] of Object.entries(documented)) {
    assertEquals(target, pinned[name], `README's ${name} against deno.json`);
  }
});
