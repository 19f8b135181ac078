import type { PatternDefinition } from "../pattern.js";
import { planetscalePatterns } from "./planetscale.js";
import { postmanPatterns } from "./postman.js";
import { pulumiPatterns } from "./pulumi.js";
import { readmePatterns } from "./readme.js";
import { replicatePatterns } from "./replicate.js";
import { rubygemsPatterns } from "./rubygems.js";
import { segmentPatterns } from "./segment.js";
import { sendgridPatterns } from "./sendgrid.js";
import { sentryPatterns } from "./sentry.js";
import { shippoPatterns } from "./shippo.js";
import { shopifyPatterns } from "./shopify.js";
import { sourcegraphPatterns } from "./sourcegraph.js";

/** Catalog batch 4: provider files are listed here and merged into the catalog by index.ts. */
export const batch4Patterns: PatternDefinition[] = [
  ...planetscalePatterns,
  ...postmanPatterns,
  ...pulumiPatterns,
  ...readmePatterns,
  ...replicatePatterns,
  ...rubygemsPatterns,
  ...segmentPatterns,
  ...sendgridPatterns,
  ...sentryPatterns,
  ...shippoPatterns,
  ...shopifyPatterns,
  ...sourcegraphPatterns,
];
