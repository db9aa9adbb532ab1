/**
 * docs/*.md executed: each document's blocks that are meant to run, in
 * order, in a fresh clone of its own (docs/design.md, "Documentation that
 * runs"). A document added to docs/ is followed without a change here.
 */
import { followDocuments } from "../helpers/doc_blocks/follow.ts";
import { REPO_ROOT } from "../helpers/doc_blocks/mod.ts";

const documents = [...Deno.readDirSync(`${REPO_ROOT}/docs`)]
  .filter((e) => e.isFile && e.name.endsWith(".md"))
  .map((e) => `docs/${e.name}`)
  .sort();

for (const file of documents) {
  Deno.test(`docs: ${file}, followed in order in a fresh clone`, async (t) => {
    await followDocuments(t, [file]);
  });
}
