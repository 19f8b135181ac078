import type { PatternDefinition } from "../pattern.js";

const provider = "Razorpay";

export const razorpayPatterns: PatternDefinition[] = [
  {
    id: "razorpay_key_id",
    name: "Razorpay Key ID",
    provider,
    // `rzp_live_` / `rzp_test_` + 14 alphanumerics. A key id is public (checkout scripts carry it), so it is reported
    // only with the key secret beside it. Not in GitHub's list.
    regex: "rzp_(?:live|test)_[A-Za-z0-9]{14}",
    keywords: ["rzp_live_", "rzp_test_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    pair: { with: "razorpay_key_secret", required: true },
    examples: {
      positive: [(r) => `RAZORPAY_KEY_ID=rzp_live_${r.alnum(14)}\nRAZORPAY_KEY_SECRET=${r.alnum(22)}a1\n`],
      negative: [
        { text: (r) => `<script data-key="rzp_live_${r.alnum(14)}"></script>`, reason: "a key id alone is public" },
        { text: (r) => `rzp_live_${r.alnum(8)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "razorpay_key_secret",
    name: "Razorpay Key Secret",
    provider,
    regex: "[A-Za-z0-9]{24}",
    keywords: [],
    standalone: false,
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 3.8,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [],
      negative: [{ text: (r) => `secret = ${r.alnum(22)}a1`, reason: "a key secret alone, without its key id, is not reported" }],
    },
  },
];
