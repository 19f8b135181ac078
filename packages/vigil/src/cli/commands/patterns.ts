import type { Command } from "commander";
import { builtinPatterns, validityCheckFor, type PatternDefinition } from "vigil-secrets-engine";
import { VigilError } from "../../errors.js";
import { countOf } from "../summary.js";

export function registerPatternsCommand(program: Command): void {
  const patterns = program.command("patterns").description("Inspect the pattern catalog");
  patterns
    .command("list")
    .description("List every built-in pattern with its flags")
    .option("-f, --format <format>", "table or json", "table")
    .option("--provider <name>", "only this provider (case-insensitive)")
    .action((options: { format: string; provider?: string }) => {
      const selected = builtinPatterns.filter(
        (p) => options.provider === undefined || p.provider.toLowerCase() === options.provider.toLowerCase(),
      );
      if (options.format === "json") process.stdout.write(JSON.stringify(selected.map(toRecord), null, 2) + "\n");
      else if (options.format === "table") process.stdout.write(formatPatternTable(selected));
      else throw new VigilError("ERR_CLI_USAGE", `--format: "${options.format}" is not one of table, json`);
    });
}

function toRecord(p: PatternDefinition): Record<string, unknown> {
  return {
    secret_type: p.id,
    display_name: p.name,
    provider: p.provider,
    category: p.category,
    confidence: p.confidence,
    push_protection: p.pushProtection,
    // GitHub's flag (GitHub checks the type) and Vigil's (Vigil has a check document for it): not the same set.
    validity_check: p.validityCheck ?? false,
    vigil_validity_check: vigilChecks(p.id),
    offline_validation: p.validate !== undefined,
    base64: p.base64 ?? false,
    pair_with: p.pair?.with ?? null,
  };
}

let checkedAsPair: Set<string> | undefined;

/** Whether Vigil checks the type with its issuer: its own check, or as the pair another type's check signs with (an AWS secret key). */
function vigilChecks(secretType: string): boolean {
  checkedAsPair ??= new Set(builtinPatterns.flatMap((p) => validityCheckFor(p.id)?.pair ?? []));
  return validityCheckFor(secretType) !== undefined || checkedAsPair.has(secretType);
}

/** `vigil`: Vigil checks the type with its issuer; `github-only`: GitHub does, Vigil does not (yet). */
function validityColumn(p: PatternDefinition): string {
  if (vigilChecks(p.id)) return "vigil";
  return p.validityCheck ? "github-only" : "-";
}

function formatPatternTable(patterns: PatternDefinition[]): string {
  const rows = patterns.map((p) => [
    p.id,
    p.provider,
    p.confidence,
    p.pushProtection ? "push" : "-",
    p.validate ? "offline-check" : "-",
    validityColumn(p),
    p.base64 ? "base64" : "-",
  ]);
  const header = ["SECRET TYPE", "PROVIDER", "CONFIDENCE", "PUSH", "VALIDATION", "VALIDITY", "BASE64"];
  const widths = header.map((h, i) => rows.reduce((max, r) => Math.max(max, r[i]!.length), h.length));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line), "", countOf(patterns.length, "pattern"), ""].join("\n");
}
