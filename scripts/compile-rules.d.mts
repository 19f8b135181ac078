export const RULES_DIR: string;
export const GENERATED_PATH: string;
export function checkDocument(doc: unknown): string[];
export function loadRuleDocuments(dir?: string): {
  documents: { file: string; provider: string; rules: Record<string, unknown>[] }[];
  problems: string[];
};
export function renderGenerated(documents: unknown[]): string;
