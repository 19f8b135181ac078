import { builtinPatterns, createMatcher, definePattern, type CustomPatternInput, type Matcher } from "@vigil/engine";
import type { VigilConfig } from "../config/config.js";

/**
 * What a matcher is built from. Plain data, so it crosses to worker threads and
 * every worker builds the same matcher.
 */
export interface MatcherSettings {
  disabled: string[];
  generic: boolean;
  custom: CustomPatternInput[];
  allowValues: string[];
  allowRegexes: string[];
  /** Only patterns eligible for push protection (hooks that block). */
  pushProtectionOnly?: boolean;
}

export function matcherSettingsFromConfig(config: VigilConfig): MatcherSettings {
  return {
    disabled: config.patterns.disable,
    generic: config.patterns.generic,
    custom: config.patterns.custom,
    allowValues: config.allowlist.values,
    allowRegexes: config.allowlist.regexes,
  };
}

/** Builds the matcher. Config validation already compiled everything, so problems here are bugs. */
export function buildMatcher(settings: MatcherSettings): Matcher {
  const patterns = [...builtinPatterns, ...settings.custom.map((input) => definePattern(input))].filter(
    (p) =>
      (settings.generic || p.category !== "generic") && (!settings.pushProtectionOnly || p.pushProtection),
  );
  const { matcher, problems } = createMatcher(patterns, {
    disabled: settings.disabled,
    allowValues: settings.allowValues,
    allowRegexes: settings.allowRegexes,
  });
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new Error(`pattern ${first.patternId}: ${first.field}: ${first.reason}`);
  }
  return matcher;
}
