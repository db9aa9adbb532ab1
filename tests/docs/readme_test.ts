/**
 * The README's first hour, executed: every block of README.md and then
 * examples/README.md that is meant to run, in order, in one fresh clone,
 * as a new user follows them (docs/design.md, "Documentation that runs").
 * docs/*.md are followed by reference_docs_test.ts.
 */
import { followDocuments } from "../helpers/doc_blocks/follow.ts";

Deno.test("docs: README.md, then examples/README.md, followed in order in a fresh clone", async (t) => {
  await followDocuments(t, ["README.md", "examples/README.md"]);
});
