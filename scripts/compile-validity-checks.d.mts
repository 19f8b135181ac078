export const CHECKS_DIR: string;
export const GENERATED_PATH: string;
export function checkValidityDocument(doc: unknown): string[];
export function loadValidityDocuments(dir?: string): { documents: Record<string, unknown>[]; problems: string[] };
export function renderValidityGenerated(documents: unknown[]): string;
