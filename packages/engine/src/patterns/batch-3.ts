import type { PatternDefinition } from "../pattern.js";

/** Catalog batch 3: provider files are listed here and merged into the catalog by index.ts. */
export const batch3Patterns: PatternDefinition[] = [];
