import type { PatternDefinition } from "../pattern.js";
import { gocardlessPatterns } from "./gocardless.js";
import { grafanaPatterns } from "./grafana.js";
import { groqPatterns } from "./groq.js";
import { hashicorpPatterns } from "./hashicorp.js";
import { hcaptchaPatterns } from "./hcaptcha.js";
import { herokuPatterns } from "./heroku.js";
import { hubspotPatterns } from "./hubspot.js";
import { huggingFacePatterns } from "./hugging-face.js";
import { ibmPatterns } from "./ibm.js";
import { intercomPatterns } from "./intercom.js";
import { ionicPatterns } from "./ionic.js";
import { jfrogPatterns } from "./jfrog.js";
import { langchainPatterns } from "./langchain.js";
import { launchdarklyPatterns } from "./launchdarkly.js";
import { lichessPatterns } from "./lichess.js";
import { linearPatterns } from "./linear.js";
import { linkedinPatterns } from "./linkedin.js";
import { lobPatterns } from "./lob.js";
import { loginWithAmazonPatterns } from "./login-with-amazon.js";

/** Catalog batch 3: provider files are listed here and merged into the catalog by index.ts. */
export const batch3Patterns: PatternDefinition[] = [
  ...gocardlessPatterns,
  ...grafanaPatterns,
  ...groqPatterns,
  ...hashicorpPatterns,
  ...hcaptchaPatterns,
  ...herokuPatterns,
  ...hubspotPatterns,
  ...huggingFacePatterns,
  ...ibmPatterns,
  ...intercomPatterns,
  ...ionicPatterns,
  ...jfrogPatterns,
  ...langchainPatterns,
  ...launchdarklyPatterns,
  ...lichessPatterns,
  ...linearPatterns,
  ...linkedinPatterns,
  ...lobPatterns,
  ...loginWithAmazonPatterns,
];
