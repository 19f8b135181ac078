import type { PatternDefinition } from "../pattern.js";

export const cratesPatterns: PatternDefinition[] = [
  {
    id: "cratesio_api_token",
    name: "Crates API Token",
    provider: "Crates (Rust package registry)",
    // `cio` + 32 alphanumerics. `cio` itself is a common fragment ("precious"), so the prefilter looks for
    // Cargo's own words around it: `cargo login`, CARGO_REGISTRY_TOKEN, credentials.toml's `[registry]`.
    regex: "cio[A-Za-z0-9]{32}",
    keywords: ["cargo", "crates", "[registry]", "registry_token"],
    window: { before: 256, after: 256 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `# ~/.cargo/credentials.toml\n[registry]\ntoken = "cio${r.alnum(32)}"\n`,
        (r) => `env:\n  CARGO_REGISTRY_TOKEN: cio${r.alnum(32)}`,
      ],
      negative: [
        { text: (r) => `[registry]\ntoken = "cio${r.alnum(20)}"`, reason: "too short" },
        { text: (r) => `[registry]\ntoken = "xcio${r.alnum(32)}"`, reason: "the prefix is inside a longer word" },
      ],
    },
  },
];
