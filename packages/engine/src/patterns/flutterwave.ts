import type { PatternDefinition } from "../pattern.js";

function flutterwaveKey(id: string, name: string, prefix: string): PatternDefinition {
  return {
    id,
    name,
    provider: "Flutterwave",
    // Secret keys: `FLWSECK-` (live) or `FLWSECK_TEST-` (test), 32 hex, `-X`.
    regex: `${prefix}[a-f0-9]{32}-X`,
    keywords: [prefix],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `FLW_SECRET_KEY=${prefix}${r.hex(32)}-X`],
      negative: [
        { text: (r) => `${prefix}${r.hex(32)}`, reason: "the `-X` suffix is missing" },
        { text: (r) => `FLW_PUBLIC_KEY=${prefix.replace("SECK", "PUBK")}${r.hex(32)}-X`, reason: "a public key" },
      ],
    },
  };
}

export const flutterwavePatterns: PatternDefinition[] = [
  flutterwaveKey("flutterwave_live_api_secret_key", "Flutterwave Live API Secret Key", "FLWSECK-"),
  flutterwaveKey("flutterwave_test_api_secret_key", "Flutterwave Test API Secret Key", "FLWSECK_TEST-"),
];
