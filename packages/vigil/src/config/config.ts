import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { isAbsolute } from "node:path";
import { builtinPatterns, compileRegex, createMatcher, definePattern } from "vigil-secrets-engine";
import { VigilError } from "../errors.js";
import { DEFAULT_MAX_FILE_SIZE, findConfigFile, parseSize } from "./config-file.js";
import { defaultConfig } from "./default-config.js";

export {
  CONFIG_FILE_NAMES,
  configSearchDirs,
  DEFAULT_MAX_FILE_SIZE,
  findConfigFile,
  parseSize,
} from "./config-file.js";
export { defaultConfig } from "./default-config.js";

const size = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not a size (use bytes or e.g. "10MB")` });
    return z.NEVER;
  }
  return bytes;
});

const customPattern = z.strictObject({
  name: z.string().min(1),
  pattern: z.string().min(1),
  start_delimiter: z.string().optional(),
  end_delimiter: z.string().optional(),
  must_match: z.array(z.string()).optional(),
  must_not_match: z.array(z.string()).optional(),
  push_protection: z.boolean().optional(),
});

const configSchema = z.strictObject({
  patterns: z
    .strictObject({
      /** Pattern ids to switch off. */
      disable: z.array(z.string()).default([]),
      /** Non-provider ("generic") patterns: private keys, connection strings, auth headers. */
      generic: z.boolean().default(true),
      custom: z.array(customPattern).default([]),
    })
    .default({ disable: [], generic: true, custom: [] }),
  allowlist: z
    .strictObject({
      paths: z.array(z.string()).default([]),
      values: z.array(z.string()).default([]),
      regexes: z.array(z.string()).default([]),
      /** Fingerprints of findings never to report (as scan output prints them); no secret in the file. */
      fingerprints: z
        .array(z.string().regex(/^[0-9a-f]{32}$/, "is not a fingerprint (32 hex digits, as vigil scan prints it)"))
        .default([]),
    })
    .default({ paths: [], values: [], regexes: [], fingerprints: [] }),
  hooks: z
    .strictObject({
      /** What `--staged` and `--range` (the hooks) fail on: what push protection blocks, or every finding. */
      block: z.enum(["push-protection", "all"]).default("push-protection"),
    })
    .default({ block: "push-protection" }),
  limits: z
    .strictObject({
      max_file_size: size.default(DEFAULT_MAX_FILE_SIZE),
      scan_binaries: z.boolean().default(false),
    })
    .default({ max_file_size: DEFAULT_MAX_FILE_SIZE, scan_binaries: false }),
});

export type VigilConfig = z.output<typeof configSchema>;

/** Where a config came from, for messages. */
export interface LoadedConfig {
  config: VigilConfig;
  path: string | undefined;
}

export function loadConfig(explicit: string | undefined, searchDirs: string[]): LoadedConfig {
  const path = findConfigFile(explicit, searchDirs);
  if (path === undefined) return { config: defaultConfig(), path };
  return { config: parseConfig(readFileSync(path, "utf8"), path), path };
}

/** Parses and validates config text. Errors name the file, the field and the reason. */
export function parseConfig(text: string, path: string): VigilConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new VigilError("ERR_CONFIG_PARSE", `${path}: not valid YAML: ${reason}`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    throw new VigilError("ERR_CONFIG_INVALID", `${path}: ${field}: ${issue.message}`);
  }
  validatePatterns(result.data, path);
  return result.data;
}

/** Compiles custom patterns and allowlist regexes now, so a bad one fails before any scan starts; checks names that would otherwise do nothing. */
function validatePatterns(config: VigilConfig, path: string): void {
  const custom = config.patterns.custom.map((input) => definePattern(input));
  const known = new Set([...builtinPatterns.map((p) => p.id), ...custom.map((p) => p.id)]);
  config.patterns.disable.forEach((id, i) => {
    if (!known.has(id)) {
      throw new VigilError(
        "ERR_CONFIG_INVALID",
        `${path}: patterns.disable[${i}]: "${id}" is not a pattern id (vigil patterns list prints them; a custom pattern's id is its name in snake_case)`,
      );
    }
  });
  config.allowlist.paths.forEach((glob, i) => {
    if (isAbsolute(glob) || /^[A-Za-z]:[\\/]/.test(glob)) {
      throw new VigilError(
        "ERR_CONFIG_INVALID",
        `${path}: allowlist.paths[${i}]: "${glob}" is absolute; globs are relative to the config file's directory (the repository's top level for history)`,
      );
    }
  });
  const { problems } = createMatcher(custom);
  const first = problems[0];
  if (first) {
    const index = custom.findIndex((p) => p.id === first.patternId);
    const name = config.patterns.custom[index]?.name ?? first.patternId;
    const field = FIELD_NAMES[first.field.replace(/\[\d+\]$/, "")] ?? first.field;
    const suffix = /\[\d+\]$/.exec(first.field)?.[0] ?? "";
    throw new VigilError(
      "ERR_CONFIG_PATTERN",
      `${path}: patterns.custom[${index}] ("${name}"): ${field}${suffix}: ${first.reason}`,
    );
  }
  config.allowlist.regexes.forEach((source, i) => {
    const result = compileRegex(source);
    if (!result.ok) throw new VigilError("ERR_CONFIG_PATTERN", `${path}: allowlist.regexes[${i}]: ${result.reason}`);
  });
}

/** Engine field names back to the config's (GitHub's REST) names. */
const FIELD_NAMES: Record<string, string> = {
  regex: "pattern",
  before: "start_delimiter",
  after: "end_delimiter",
  mustMatch: "must_match",
  mustNotMatch: "must_not_match",
  id: "name",
};
