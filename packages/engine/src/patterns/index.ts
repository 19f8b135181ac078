import type { PatternDefinition } from "../pattern.js";
import { awsPatterns } from "./aws.js";
import { batch1Patterns } from "./batch-1.js";
import { batch2Patterns } from "./batch-2.js";
import { batch3Patterns } from "./batch-3.js";
import { batch4Patterns } from "./batch-4.js";
import { connectionStringPatterns, httpHeaderPatterns } from "./connection-string.js";
import { genericSecretPatterns } from "./generic-secret.js";
import { githubPatterns } from "./github.js";
import { googlePatterns } from "./google.js";
import { npmPatterns } from "./npm.js";
import { privateKeyPatterns } from "./private-key.js";
import { ruleDocuments } from "./rules.generated.js";
import { patternsFromDocuments } from "../rule-data.js";
import { pypiPatterns } from "./pypi.js";
import { slackPatterns } from "./slack.js";
import { stripePatterns } from "./stripe.js";

/** Catalog order: by provider, then by id (the example test checks it). */
export function compareCatalogOrder(a: PatternDefinition, b: PatternDefinition): number {
  const byProvider = english.compare(a.provider.toLowerCase(), b.provider.toLowerCase());
  return byProvider !== 0 ? byProvider : english.compare(a.id, b.id);
}

/** What `localeCompare(other, "en")` uses, made once: each `localeCompare` call builds a collator (start-up time). */
const english = new Intl.Collator("en");

/** Every built-in pattern, in catalog order. */
export const builtinPatterns: readonly PatternDefinition[] = [
  ...awsPatterns,
  ...connectionStringPatterns,
  ...httpHeaderPatterns,
  ...privateKeyPatterns,
  ...genericSecretPatterns,
  ...githubPatterns,
  ...googlePatterns,
  ...npmPatterns,
  ...pypiPatterns,
  ...slackPatterns,
  ...stripePatterns,
  ...batch1Patterns,
  ...batch2Patterns,
  ...batch3Patterns,
  ...batch4Patterns,
  // Rules as data: every document in packages/engine/rules/, compiled by the build.
  ...patternsFromDocuments(ruleDocuments),
].sort(compareCatalogOrder);
