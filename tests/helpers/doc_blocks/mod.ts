/**
 * The doc test's machinery: Markdown blocks and their annotations, and a
 * runner that follows documents in a fresh clone (docs/design.md,
 * "Documentation that runs").
 */
export {
  blockName,
  DEFAULT_BLOCK_TIMEOUT_MS,
  DEFAULT_WAIT_FOR_MS,
  DocBlockError,
  DocRunner,
} from "./doc_runner.ts";
export {
  type BlockKind,
  type DocBlock,
  type DocItem,
  MarkdownError,
  parseMarkdown,
  type StopMarker,
} from "./markdown.ts";
export {
  DirectiveError,
  type Directives,
  parseAnnotation,
} from "./directive.ts";
export { REPO_ROOT } from "./fresh_clone.ts";
