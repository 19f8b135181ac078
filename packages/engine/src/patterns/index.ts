import type { PatternDefinition } from "../pattern.js";
import { codePatterns } from "./code-rules.generated.js";
import { ruleDocuments } from "./rules.generated.js";
import { patternsFromDocuments } from "../rule-data.js";

/** Catalog order: by provider, then by id (the example test checks it). */
export function compareCatalogOrder(a: PatternDefinition, b: PatternDefinition): number {
  const byProvider = english.compare(a.provider.toLowerCase(), b.provider.toLowerCase());
  return byProvider !== 0 ? byProvider : english.compare(a.id, b.id);
}

/** What `localeCompare(other, "en")` uses, made once: each `localeCompare` call builds a collator (start-up time). */
const english = new Intl.Collator("en");

/** Every built-in pattern, in catalog order. */
export const builtinPatterns: readonly PatternDefinition[] = [
  // Rules in code (checksums, structural decoding): every `…Patterns` export of this folder.
  ...codePatterns,
  // Rules as data: every document in packages/engine/rules/, compiled by the build.
  ...patternsFromDocuments(ruleDocuments),
].sort(compareCatalogOrder);
