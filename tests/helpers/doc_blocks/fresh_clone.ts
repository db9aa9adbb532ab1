/**
 * A fresh clone of the repository for the doc test, as a new user has it:
 * the files git would hand out (tracked, plus new files not ignored, so
 * that uncommitted doc changes are tested too), without `.git`, databases,
 * `dist/` or history files. Laid out as a user's project with the clone in
 * it, and a home directory of its own:
 *
 * ```text
 * <root>/home/                   $HOME of every block
 * <root>/project/                a project of the user's (TypeScript blocks that import ./switchboard/…)
 * <root>/project/switchboard/    the clone (shell blocks run here)
 * ```
 */
import { dirname, join, relative } from "node:path";

/** The directories of one fresh clone. */
export interface CloneDirs {
  readonly root: string;
  readonly home: string;
  readonly project: string;
  readonly clone: string;
}

/** The repository this file is in. */
export const REPO_ROOT = new URL("../../../", import.meta.url).pathname
  .replace(/\/$/, "");

/** Copies `source` (the repository by default) into a new temporary tree. */
export async function freshClone(source = REPO_ROOT): Promise<CloneDirs> {
  const root = await Deno.makeTempDir({ prefix: "switchboard-docs-" });
  const dirs = {
    root,
    home: join(root, "home"),
    project: join(root, "project"),
    clone: join(root, "project", "switchboard"),
  };
  await Deno.mkdir(dirs.home, { recursive: true });
  await Deno.mkdir(dirs.clone, { recursive: true });
  for (const file of await filesOf(source)) {
    const to = join(dirs.clone, file);
    await Deno.mkdir(dirname(to), { recursive: true });
    await Deno.copyFile(join(source, file), to);
  }
  return dirs;
}

/** The files a clone of `source` would have, relative to it. */
async function filesOf(source: string): Promise<string[]> {
  if (!await exists(join(source, ".git"))) return await walk(source, source);
  const out = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: source,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `git ls-files in ${source}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  const listed = new TextDecoder().decode(out.stdout).split("\0")
    .filter((f) => f !== "");
  const present: string[] = [];
  for (const file of listed) {
    // Deleted in the work tree but not yet in the index: not in a clone.
    if (await exists(join(source, file))) present.push(file);
  }
  return present;
}

async function walk(dir: string, base: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await walk(path, base));
    else if (entry.isFile) out.push(relative(base, path));
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
