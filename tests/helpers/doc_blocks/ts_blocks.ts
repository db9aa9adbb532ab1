/**
 * TypeScript blocks as files: where each is written, and one `deno check`
 * per directory for all of a document's blocks (one type-checking program
 * instead of one per block), with errors mapped back to the document's
 * lines.
 *
 * A block that imports `./switchboard/…` is a user's program: it is written
 * to the project directory beside the clone, whose `deno.json` (if a `file`
 * block wrote one) is the user's. Any other block is written to the
 * clone's root and resolved by the repository's own `deno.json`.
 */
import { join } from "node:path";
import type { CloneDirs } from "./fresh_clone.ts";
import type { DocBlock } from "./markdown.ts";

/** A TypeScript block written to disk. */
export interface PlacedBlock {
  readonly block: DocBlock;
  /** The directory it runs in. */
  readonly cwd: string;
  /** Its file name there. */
  readonly name: string;
}

const USER_IMPORT = /\bfrom\s+["']\.\/switchboard\//;

/** Writes `block` where it belongs; returns where. */
export async function placeBlock(
  dirs: CloneDirs,
  block: DocBlock,
): Promise<PlacedBlock> {
  const cwd = USER_IMPORT.test(block.code) ? dirs.project : dirs.clone;
  const name = `${blockSlug(block)}.ts`;
  await Deno.writeTextFile(join(cwd, name), block.code);
  return { block, cwd, name };
}

/** `doc_README_md_234`: a file name for a block, from its document and line. */
export function blockSlug(block: DocBlock): string {
  return `doc_${block.file.replace(/[^A-Za-z0-9]/g, "_")}_${block.line}`;
}

/**
 * Type-checks `placed`, one `deno check` per directory; returns the
 * errors of each block that has any, in the document's terms.
 */
export async function checkBlocks(
  placed: readonly PlacedBlock[],
  env: Record<string, string>,
): Promise<Map<DocBlock, string>> {
  const errors = new Map<DocBlock, string>();
  const byDir = Map.groupBy(placed, (p) => p.cwd);
  for (const [cwd, group] of byDir) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", ...group.map((p) => p.name)],
      cwd,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (out.success) continue;
    const hit = new Set<DocBlock>();
    const text = mapLines(
      new TextDecoder().decode(out.stderr) +
        new TextDecoder().decode(out.stdout),
      group,
      hit,
    );
    const blocks = hit.size > 0 ? [...hit] : group.map((p) => p.block);
    for (const block of blocks) errors.set(block, text);
  }
  return errors;
}

/** Replaces `file:///…/doc_X_12.ts:3:5` by `README.md:15:5`. */
function mapLines(
  text: string,
  group: readonly PlacedBlock[],
  hit: Set<DocBlock>,
): string {
  const byName = new Map(group.map((p) => [p.name, p.block]));
  return text.replace(
    /file:\/\/\S*?\/(doc_[A-Za-z0-9_]+\.ts):(\d+):(\d+)/g,
    (whole, name: string, row: string, col: string) => {
      const block = byName.get(name);
      if (block === undefined) return whole;
      hit.add(block);
      return `${block.file}:${block.line + Number(row)}:${col}`;
    },
  );
}
