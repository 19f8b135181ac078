import type { PatternDefinition } from "../pattern.js";

export const contributedSystemsPatterns: PatternDefinition[] = [
  {
    id: "contributed_systems_credentials",
    name: "Contributed Systems Credentials",
    provider: "Contributed Systems",
    // Sidekiq Pro/Enterprise gem-server credentials `xxxxxxxx:yyyyyyyy`, given to Bundler for
    // gems.contribsys.com / enterprise.contribsys.com, or embedded in the source URL.
    regex: "[a-f0-9]{8}:[a-f0-9]{8}",
    before: "(?i)contribsys__com[\\s'\"]{0,3}(?:=|:)[\\s'\"]{0,5}|(?i)contribsys\\.com[\\s'\"]{1,3}|https?://",
    keywords: ["contribsys"],
    window: { before: 128, after: 256 },
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `export BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${r.hex(8)}:${r.hex(8)}`,
        (r) => `bundle config --local gems.contribsys.com ${r.hex(8)}:${r.hex(8)}`,
        (r) => `source "https://${r.hex(8)}:${r.hex(8)}@enterprise.contribsys.com/" do\n  gem "sidekiq-ent"\nend`,
      ],
      negative: [
        { text: "BUNDLE_GEMS__CONTRIBSYS__COM=${SIDEKIQ_CREDENTIALS}", reason: "a variable, not a value" },
        { text: (r) => `bundle config gems.contribsys.com ${r.hex(8)}`, reason: "half of the credentials" },
      ],
    },
  },
];
