import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOC_PATH, readGithubTypes, readNotCovered, renderPatternsDoc } from "../../../../scripts/patterns-doc.mjs";
import { builtinPatterns } from "./index.js";

const github = readGithubTypes();
const isTrue = (value: string): boolean => value === "true" || value === "true_except_ghes";

describe("parity with GitHub's secret types", () => {
  // The first id of a GitHub entry carries the entry's display name and flags; later ids of a pair are its
  // halves. An id in several entries (AWS's secret key is in two groups) has no single name to compare.
  const entries = new Map<string, number>();
  for (const row of github) entries.set(row.secret_type, (entries.get(row.secret_type) ?? 0) + 1);
  const firsts = new Map(
    github
      .filter((row) => entries.get(row.secret_type) === 1 && row.group.split(",")[0] === row.secret_type)
      .map((row) => [row.secret_type, row]),
  );

  it("uses GitHub's display name, provider and push-protection eligibility for GitHub's ids", () => {
    const mismatches: string[] = [];
    for (const pattern of builtinPatterns) {
      const row = firsts.get(pattern.id);
      if (!row) continue;
      if (pattern.name !== row.display_name)
        mismatches.push(`${pattern.id}: name "${pattern.name}" != "${row.display_name}"`);
      // Where GitHub blocks a type that Vigil recognises only by a nearby name (low confidence), Vigil reports it without blocking.
      const withheld = pattern.confidence === "low" && !pattern.pushProtection;
      if (pattern.pushProtection !== isTrue(row.push_protection) && !withheld)
        mismatches.push(`${pattern.id}: pushProtection ${pattern.pushProtection}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("explains every GitHub type it leaves out only once, and only for types it does not cover", () => {
    const ids = new Set(builtinPatterns.map((p) => p.id));
    const explained = [...readNotCovered().keys()];
    expect(explained.filter((id) => ids.has(id))).toEqual([]);
    expect(explained.filter((id) => !github.some((row) => row.secret_type === id))).toEqual([]);
  });

  it("keeps docs/patterns.md in step with the catalog (run `npm run docs:patterns`)", () => {
    expect(readFileSync(DOC_PATH, "utf8")).toBe(renderPatternsDoc(builtinPatterns));
  });
});
