import type { PatternDefinition } from "../pattern.js";

export const firebasePatterns: PatternDefinition[] = [
  {
    id: "firebase_cloud_messaging_server_key",
    name: "Firebase Cloud Messaging Server Key",
    provider: "Firebase",
    // Legacy FCM server keys: `AAAA` + 7 characters, `:APA91b`, 134 characters.
    regex: "AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["APA91b"],
    window: { before: 32, after: 256 },
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `FCM_SERVER_KEY=AAAA${r.base64url(7)}:APA91b${r.base64url(134)}`, (r) => `"Authorization": "key=AAAA${r.alnum(7)}:APA91b${r.alnum(134)}"`],
      negative: [
        { text: (r) => `"registration_id": "${r.alnum(11)}:APA91b${r.base64url(134)}"`, reason: "a device registration token, not a server key" },
        { text: (r) => `AAAA${r.alnum(7)}:APA91b${r.alnum(40)}`, reason: "too short" },
      ],
    },
  },
];
