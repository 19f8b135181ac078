import type { PatternDefinition } from "../pattern.js";
import { adafruitPatterns } from "./adafruit.js";
import { adobePatterns } from "./adobe.js";
import { agePatterns } from "./age.js";
import { aikidoPatterns } from "./aikido.js";
import { airtablePatterns } from "./airtable.js";
import { aivenPatterns } from "./aiven.js";
import { alibabaPatterns } from "./alibaba.js";
import { anthropicPatterns } from "./anthropic.js";
import { apifyPatterns } from "./apify.js";
import { asaasPatterns } from "./asaas.js";
import { asanaPatterns } from "./asana.js";
import { assemblyaiPatterns } from "./assemblyai.js";
import { atlassianPatterns } from "./atlassian.js";
import { authressPatterns } from "./authress.js";
import { azurePatterns } from "./azure.js";
import { deepgramPatterns } from "./deepgram.js";
import { elevenlabsPatterns } from "./elevenlabs.js";
import { firecrawlPatterns } from "./firecrawl.js";
import { onePasswordPatterns } from "./one-password.js";

/** Catalog batch 1: provider files are listed here and merged into the catalog by index.ts. */
export const batch1Patterns: PatternDefinition[] = [
  ...adafruitPatterns,
  ...adobePatterns,
  ...agePatterns,
  ...aikidoPatterns,
  ...airtablePatterns,
  ...aivenPatterns,
  ...alibabaPatterns,
  ...anthropicPatterns,
  ...apifyPatterns,
  ...asaasPatterns,
  ...asanaPatterns,
  ...assemblyaiPatterns,
  ...atlassianPatterns,
  ...authressPatterns,
  ...azurePatterns,
  ...deepgramPatterns,
  ...elevenlabsPatterns,
  ...firecrawlPatterns,
  ...onePasswordPatterns,
];
