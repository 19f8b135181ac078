import { describe, expect, it } from "vitest";
import { parseConfig } from "./config.js";
import { defaultConfig } from "./default-config.js";

describe("defaultConfig", () => {
  it("is what the schema gives for an empty or blank config file", () => {
    expect(defaultConfig()).toEqual(parseConfig("", "vigil.config.yaml"));
    expect(defaultConfig()).toEqual(parseConfig("{}\n", "vigil.config.yaml"));
    expect(defaultConfig()).toEqual(parseConfig("patterns: {}\nallowlist: {}\nhooks: {}\nlimits: {}\n", "x.yaml"));
  });

  it("is a new object each time, so a scan's flags never leak into the next default", () => {
    const first = defaultConfig();
    first.patterns.disable.push("slack_api_token");
    first.limits.max_file_size = 1;
    expect(defaultConfig().patterns.disable).toEqual([]);
    expect(defaultConfig().limits.max_file_size).toBe(10 * 1024 * 1024);
  });
});
