/**
 * The documentation, executed: every block of README.md, examples/README.md
 * and docs/*.md that is meant to run, in order, in a fresh clone
 * (docs/design.md, "Documentation that runs"). README.md and then
 * examples/README.md are followed in one clone, as a new user's first hour
 * goes; each of docs/*.md in a clone of its own.
 */
import { followDocuments } from "../helpers/doc_blocks/follow.ts";
import { REPO_ROOT } from "../helpers/doc_blocks/mod.ts";

Deno.test("docs: README.md, then examples/README.md, followed in order in a fresh clone", async (t) => {
  await followDocuments(t, ["README.md", "examples/README.md"]);
});

const references = [...Deno.readDirSync(`${REPO_ROOT}/docs`)]
  .filter((e) => e.isFile && e.name.endsWith(".md"))
  .map((e) => `docs/${e.name}`)
  .sort();

for (const file of references) {
  Deno.test(`docs: ${file}, followed in order in a fresh clone`, async (t) => {
    await followDocuments(t, [file]);
  });
}
