import { builtinPatterns, createMatcher, definePattern, type CustomPatternInput, type Matcher } from "vigil-secrets-engine";
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
  /** Only these pattern ids (a rescan of history for patterns that are new or changed). */
  only?: string[];
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

/**
 * Builds the matcher. Custom patterns compile up front so a bad one is an error
 * before any scan; the tested catalog compiles lazily, pattern by pattern, at
 * its first keyword hit (start-up is paid once per worker thread).
 */
export function buildMatcher(settings: MatcherSettings): Matcher {
  const custom = settings.custom.map((input) => definePattern(input));
  const check = createMatcher(custom).problems[0];
  if (check) throw new Error(`custom pattern ${check.patternId}: ${check.field}: ${check.reason}`);
  const only = settings.only ? new Set(settings.only) : undefined;
  const patterns = [...builtinPatterns, ...custom].filter(
    (p) =>
      (settings.generic || p.category !== "generic") &&
      (!settings.pushProtectionOnly || p.pushProtection) &&
      (only === undefined || only.has(p.id)),
  );
  const { matcher, problems } = createMatcher(patterns, {
    disabled: settings.disabled,
    allowValues: settings.allowValues,
    allowRegexes: settings.allowRegexes,
    lazyCompile: true,
  });
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new Error(`pattern ${first.patternId}: ${first.field}: ${first.reason}`);
  }
  return matcher;
}
