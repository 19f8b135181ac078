import type { PatternDefinition } from "../pattern.js";

/** Catalog batch 1: provider files are listed here and merged into the catalog by index.ts. */
export const batch1Patterns: PatternDefinition[] = [];
