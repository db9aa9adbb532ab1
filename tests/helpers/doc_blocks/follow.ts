/**
 * Follows documents in a test, one step per block, in order: the way a
 * person reads them. After a failure the rest of the steps are reported as
 * ignored (they would fail for the same reason).
 */
import { blockName, DocRunner } from "./doc_runner.ts";
import { type DocItem, parseMarkdown } from "./markdown.ts";
import { REPO_ROOT } from "./fresh_clone.ts";

/** Reads `file` (relative to `root`) into its items. */
export async function readDocument(
  file: string,
  root = REPO_ROOT,
): Promise<DocItem[]> {
  return parseMarkdown(file, await Deno.readTextFile(`${root}/${file}`));
}

/** The steps' names: where each block is, and what is done with it. */
export function stepName(item: DocItem): string {
  if (item.kind === "stop") return `${item.file}:${item.line} stop`;
  const d = item.directives;
  const what = item.kind === "skipped"
    ? `(skipped: ${d.skip})`
    : item.kind === "file"
    ? `(writes ${d.file})`
    : [
      d.stop ? "stop, then" : "",
      d.check ? "type-check" : "",
      d.background ? "background" : "",
      d.terminal ? "on a terminal" : "",
    ].filter((w) => w !== "").join(" ");
  return `${blockName(item)}${what === "" ? "" : ` ${what}`}`;
}

/**
 * Follows `files` in order in one fresh clone of `source`, as steps of
 * test `t`.
 */
export async function followDocuments(
  t: Deno.TestContext,
  files: readonly string[],
  source = REPO_ROOT,
): Promise<void> {
  await using runner = await DocRunner.create({ source });
  let failed = false;
  const step = async (name: string, fn: () => Promise<void>, skip = false) => {
    const ignore = failed || skip;
    const ok = await t.step({ name, ignore, fn });
    if (!ignore && !ok) failed = true;
  };
  for (const [n, file] of files.entries()) {
    const items = await readDocument(file, source);
    const lastLine = items.at(-1)?.line ?? 1;
    const clone = n === 0 ? "a fresh clone" : `the clone ${files[0]} left`;
    await step(
      `${file}: ${clone}, ${runner.isolation}; type-check`,
      () => runner.prepare(items),
    );
    for (const item of items) {
      if (item.kind === "illustration") continue;
      await step(
        stepName(item),
        () => runner.run(item),
        item.kind === "skipped",
      );
    }
    await step(
      `${file}: the end (Ctrl-C to what still runs)`,
      () => runner.stopBackground(file, lastLine),
    );
  }
}
