/**
 * The fenced code blocks of a Markdown document, in order, each with its
 * line, its tag, the section it is in and its annotations; and the
 * standalone `stop` markers between them. Pure.
 *
 * An annotation belongs to the fence below it, with only blank lines
 * between (`deno fmt` puts one there). Which blocks run: those tagged `sh`
 * or `ts`, unless marked `<!-- illustration -->` or `skip`. A block of any
 * tag with a `file` directive is written to that file.
 */
import {
  DirectiveError,
  type Directives,
  isAnnotation,
  mergeDirectives,
  parseAnnotation,
} from "./directive.ts";

/** What the doc test does with a block. */
export type BlockKind =
  | "sh"
  | "ts"
  | "file"
  | "skipped"
  | "illustration";

/** One fenced block. */
export interface DocBlock {
  /** The document's path as given (for messages). */
  readonly file: string;
  /** Line number of the opening fence, from 1. */
  readonly line: number;
  /** The info string's first word (`sh`, `ts`, `text`, …; "" when none). */
  readonly tag: string;
  /** The nearest heading above the block ("" before any). */
  readonly section: string;
  /** The block's text, without the fences and their indentation. */
  readonly code: string;
  readonly directives: Directives;
  readonly kind: BlockKind;
}

/** A `<!-- doc-test: stop -->` on a line of its own (not above a fence). */
export interface StopMarker {
  readonly file: string;
  readonly line: number;
  readonly kind: "stop";
}

/** A document's blocks and markers, in document order. */
export type DocItem = DocBlock | StopMarker;

/** An unusable document: an unclosed fence, a misplaced or bad annotation. */
export class MarkdownError extends SyntaxError {
  /** `code` is always `bad-markdown`. */
  readonly code = "bad-markdown";

  /** An error at `file:line`. */
  constructor(file: string, line: number, why: string) {
    super(`${file}:${line}: ${why}`);
    this.name = "MarkdownError";
  }
}

const FENCE = /^( {0,3}|\s*)(`{3,}|~{3,})\s*([^`\s]*)?(.*)$/;
const HEADING = /^#{1,6}\s+(.*?)\s*#*\s*$/;

/**
 * Reads `text`, the document `file`.
 *
 * @throws {MarkdownError} for an unclosed fence, an annotation that is not
 *   directly above a fence (other than a standalone `stop`), or a bad
 *   annotation.
 */
export function parseMarkdown(file: string, text: string): DocItem[] {
  const lines = text.split("\n");
  const items: DocItem[] = [];
  let section = "";
  /** Annotation lines seen directly above the current line. */
  let pending: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence !== null) {
      const [, indent, marks, tag = ""] = fence;
      const end = closingFence(lines, i, marks!);
      if (end < 0) {
        throw new MarkdownError(file, i + 1, "code block is never closed");
      }
      const code = lines.slice(i + 1, end)
        .map((l) =>
          l.startsWith(indent!) ? l.slice(indent!.length) : l.trimStart()
        )
        .join("\n");
      const directives = annotations(file, pending);
      items.push({
        file,
        line: i + 1,
        tag,
        section,
        code: code + "\n",
        directives,
        kind: kindOf(tag, directives),
      });
      pending = [];
      i = end;
      continue;
    }
    if (isAnnotation(line)) {
      pending.push({ line: i + 1, text: line });
      continue;
    }
    // `deno fmt` puts a blank line between a comment and a fence: an
    // annotation still belongs to the fence after it.
    if (line.trim() === "") continue;
    flushMarkers(file, pending, items);
    pending = [];
    const heading = HEADING.exec(line);
    if (heading !== null) section = heading[1]!;
  }
  flushMarkers(file, pending, items);
  return items;
}

/** Whether a block runs: the tag and annotations decide. */
function kindOf(tag: string, directives: Directives): BlockKind {
  if (directives.illustration) return "illustration";
  if (directives.skip !== undefined) return "skipped";
  if (directives.file !== undefined) return "file";
  if (tag === "sh") return "sh";
  if (tag === "ts") return "ts";
  return "illustration";
}

function closingFence(lines: string[], open: number, marks: string): number {
  const close = new RegExp(`^\\s*${marks[0]}{${marks.length},}\\s*$`);
  for (let j = open + 1; j < lines.length; j++) {
    if (close.test(lines[j]!)) return j;
  }
  return -1;
}

function annotations(
  file: string,
  pending: readonly { line: number; text: string }[],
): Directives {
  return mergeDirectives(pending.map(({ line, text }) => {
    try {
      return parseAnnotation(text);
    } catch (error) {
      if (error instanceof DirectiveError) {
        throw new MarkdownError(file, line, error.message);
      }
      throw error;
    }
  }));
}

/** Annotations not above a fence: only a lone `stop` may stand there. */
function flushMarkers(
  file: string,
  pending: readonly { line: number; text: string }[],
  items: DocItem[],
): void {
  for (const { line, text } of pending) {
    const directives = annotations(file, [{ line, text }]);
    const keys = Object.keys(directives);
    if (keys.length === 1 && directives.stop) {
      items.push({ file, line, kind: "stop" });
      continue;
    }
    throw new MarkdownError(
      file,
      line,
      `${text.trim()} is not directly above a code fence (only "stop" may stand alone)`,
    );
  }
}
