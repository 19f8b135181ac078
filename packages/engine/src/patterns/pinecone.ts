import type { PatternDefinition } from "../pattern.js";

export const pineconePatterns: PatternDefinition[] = [
  {
    id: "pinecone_api_key",
    name: "Pinecone API Key",
    provider: "Pinecone",
    // `pcsk_` + a short key id + `_` + the secret (about 63 alphanumerics). Legacy UUID keys carry no marker and are left out.
    regex: "pcsk_[A-Za-z0-9]{5,7}_[A-Za-z0-9]{55,70}",
    keywords: ["pcsk_"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `PINECONE_API_KEY=pcsk_${r.alnum(6)}_${r.alnum(63)}`,
        (r) => `pc = Pinecone(api_key="pcsk_${r.alnum(6)}_${r.alnum(63)}")`,
      ],
      negative: [
        { text: "PINECONE_API_KEY=pcsk_...", reason: "placeholder" },
        { text: (r) => `pcsk_${r.alnum(6)}_${r.alnum(30)}`, reason: "secret part too short" },
      ],
    },
  },
];
