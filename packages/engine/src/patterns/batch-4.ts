import type { PatternDefinition } from "../pattern.js";
import { pineconePatterns } from "./pinecone.js";
import { planetscalePatterns } from "./planetscale.js";
import { plivoPatterns } from "./plivo.js";
import { polarPatterns } from "./polar.js";
import { posthogPatterns } from "./posthog.js";
import { postmanPatterns } from "./postman.js";
import { prefectPatterns } from "./prefect.js";
import { pulumiPatterns } from "./pulumi.js";
import { readmePatterns } from "./readme.js";
import { replicatePatterns } from "./replicate.js";
import { rubygemsPatterns } from "./rubygems.js";
import { salesforcePatterns } from "./salesforce.js";
import { segmentPatterns } from "./segment.js";
import { sendgridPatterns } from "./sendgrid.js";
import { sentryPatterns } from "./sentry.js";
import { shippoPatterns } from "./shippo.js";
import { shopifyPatterns } from "./shopify.js";
import { sourcegraphPatterns } from "./sourcegraph.js";
import { squarePatterns } from "./square.js";
import { supabasePatterns } from "./supabase.js";
import { tailscalePatterns } from "./tailscale.js";
import { telegramPatterns } from "./telegram.js";
import { tencentPatterns } from "./tencent.js";
import { twilioPatterns } from "./twilio.js";
import { typeformPatterns } from "./typeform.js";
import { vercelPatterns } from "./vercel.js";
import { wakatimePatterns } from "./wakatime.js";
import { xaiPatterns } from "./xai.js";
import { yandexPatterns } from "./yandex.js";
import { zuploPatterns } from "./zuplo.js";

/** Catalog batch 4: provider files are listed here and merged into the catalog by index.ts. */
export const batch4Patterns: PatternDefinition[] = [
  ...pineconePatterns,
  ...planetscalePatterns,
  ...plivoPatterns,
  ...polarPatterns,
  ...posthogPatterns,
  ...postmanPatterns,
  ...prefectPatterns,
  ...pulumiPatterns,
  ...readmePatterns,
  ...replicatePatterns,
  ...rubygemsPatterns,
  ...salesforcePatterns,
  ...segmentPatterns,
  ...sendgridPatterns,
  ...sentryPatterns,
  ...shippoPatterns,
  ...shopifyPatterns,
  ...sourcegraphPatterns,
  ...squarePatterns,
  ...supabasePatterns,
  ...tailscalePatterns,
  ...telegramPatterns,
  ...tencentPatterns,
  ...twilioPatterns,
  ...typeformPatterns,
  ...vercelPatterns,
  ...wakatimePatterns,
  ...xaiPatterns,
  ...yandexPatterns,
  ...zuploPatterns,
];
