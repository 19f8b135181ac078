import type { PatternDefinition } from "./pattern.js";

/** A user's pattern in GitHub's custom-pattern shape (REST field names). */
export interface CustomPatternInput {
  /** The pattern id findings carry; default: the slug of the name. Stored patterns use GitHub's `cp_<id>`. */
  id?: string;
  name: string;
  pattern: string;
  start_delimiter?: string;
  end_delimiter?: string;
  must_match?: string[];
  must_not_match?: string[];
  /** Block pushes with this pattern (off until a user turns it on, as on GitHub). */
  push_protection?: boolean;
}

/** URL-friendly id from a name, as GitHub derives a custom pattern's slug. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * Turns a custom pattern into a pattern definition. It has no keywords, so its
 * regex runs over whole content; RE2 keeps that linear-time.
 */
export function definePattern(input: CustomPatternInput): PatternDefinition {
  const slug = slugify(input.name);
  return {
    id: input.id ?? (slug.length > 0 ? slug : "custom_pattern"),
    name: input.name,
    provider: "Custom",
    regex: input.pattern,
    ...(input.start_delimiter !== undefined ? { before: input.start_delimiter } : {}),
    ...(input.end_delimiter !== undefined ? { after: input.end_delimiter } : {}),
    ...(input.must_match ? { mustMatch: input.must_match } : {}),
    ...(input.must_not_match ? { mustNotMatch: input.must_not_match } : {}),
    keywords: [],
    // What a user asked for is what they get: no placeholder guessing.
    allowPlaceholderLike: true,
    confidence: "high",
    category: "custom",
    pushProtection: input.push_protection ?? false,
    examples: { positive: [], negative: [] },
  };
}
