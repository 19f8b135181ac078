import type { PatternDefinition } from "../pattern.js";

export const twitchPatterns: PatternDefinition[] = [
  {
    id: "twitch_stream_key",
    name: "Twitch Stream Key",
    provider: "Twitch",
    // live_<channel id>_<30 base62 characters>: lets anyone broadcast to the channel.
    regex: "live_[0-9]{6,12}_[A-Za-z0-9]{30}",
    before: "\\A|[^0-9A-Za-z_-]",
    keywords: ["live_"],
    mustMatch: ["_[A-Za-z0-9]*[A-Z][A-Za-z0-9]*$"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `STREAM_KEY=live_${r.digits(9)}_${r.alnum(14)}Qx${r.alnum(14)}`, (r) => `rtmp://live.twitch.tv/app/live_${r.digits(9)}_${r.alnum(14)}Vb${r.alnum(14)}`],
      negative: [
        { text: (r) => `live_${r.digits(9)}_${r.alnum(20)}`, reason: "too short" },
        { text: 'stream_url: "rtmp://live.twitch.tv/app/STREAM_KEY"', reason: "no key" },
      ],
    },
  },
];
