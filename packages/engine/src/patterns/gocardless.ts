import type { PatternDefinition } from "../pattern.js";

const provider = "GoCardless";

function accessToken(id: string, name: string, environment: "live" | "sandbox"): PatternDefinition {
  return {
    id,
    name,
    provider,
    // GoCardless access tokens: the environment, an underscore and 40 base64url characters.
    regex: `${environment}_[A-Za-z0-9_=-]{40}`,
    // Not inside a longer prefix (Stripe's sk_live_, pk_live_).
    before: "\\A|[^0-9A-Za-z_-]",
    after: "\\z|[^0-9A-Za-z_=-]",
    keywords: [`${environment}_`],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    // A Twitch stream key (live_<channel id>_<key>) has the same length.
    mustNotMatch: ["^live_[0-9]{6,12}_"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `GOCARDLESS_ACCESS_TOKEN=${environment}_${r.alnum(20)}7${r.base64url(19)}`,
        (r) => `client = gocardless_pro.Client(access_token="${environment}_${r.alnum(20)}Q${r.base64url(19)}", environment="${environment}")`,
      ],
      negative: [
        { text: (r) => `${environment}_${r.alnum(30)}`, reason: "too short" },
        { text: (r) => `sk_${environment}_${r.alnum(40)}`, reason: "part of another provider's prefix" },
        { text: `${environment}_stream_configuration_handler_for_tests_ok`, reason: "an identifier: no digits, low entropy" },
      ],
    },
  };
}

export const gocardlessPatterns: PatternDefinition[] = [
  accessToken("gocardless_live_access_token", "GoCardless Live Access Token", "live"),
  accessToken("gocardless_sandbox_access_token", "GoCardless Sandbox Access Token", "sandbox"),
];
