import type { PatternDefinition } from "../pattern.js";

/** Catalog batch 4: provider files are listed here and merged into the catalog by index.ts. */
export const batch4Patterns: PatternDefinition[] = [];
