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
import { cloudsmithPatterns } from "./cloudsmith.js";
import { mailchimpPatterns } from "./mailchimp.js";
import { mailersendPatterns } from "./mailersend.js";
import { mailgunPatterns } from "./mailgun.js";
import { mapboxPatterns } from "./mapbox.js";
import { mattermostPatterns } from "./mattermost.js";
import { maxmindPatterns } from "./maxmind.js";
import { merakiPatterns } from "./meraki.js";
import { mercuryPatterns } from "./mercury.js";
import { messagebirdPatterns } from "./messagebird.js";
import { microsoftPatterns } from "./microsoft.js";
import { midtransPatterns } from "./midtrans.js";
import { mistralAiPatterns } from "./mistral-ai.js";
import { neonPatterns } from "./neon.js";
import { newRelicPatterns } from "./new-relic.js";
import { notionPatterns } from "./notion.js";
import { ntfyPatterns } from "./ntfy.js";
import { nugetPatterns } from "./nuget.js";
import { octopusDeployPatterns } from "./octopus-deploy.js";
import { onfidoPatterns } from "./onfido.js";
import { openaiPatterns } from "./openai.js";
import { openrouterPatterns } from "./openrouter.js";
import { openweatherPatterns } from "./openweather.js";
import { paddlePatterns } from "./paddle.js";
import { pangeaPatterns } from "./pangea.js";
import { perplexityPatterns } from "./perplexity.js";
import { twitchPatterns } from "./twitch.js";
import { mongodbPatterns } from "./mongodb.js";
import { localstackPatterns } from "./localstack.js";
import { onesignalPatterns } from "./onesignal.js";
import { pagerdutyPatterns } from "./pagerduty.js";

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
  ...cloudsmithPatterns,
  ...mailchimpPatterns,
  ...mailersendPatterns,
  ...mailgunPatterns,
  ...mapboxPatterns,
  ...mattermostPatterns,
  ...maxmindPatterns,
  ...merakiPatterns,
  ...mercuryPatterns,
  ...messagebirdPatterns,
  ...microsoftPatterns,
  ...midtransPatterns,
  ...mistralAiPatterns,
  ...neonPatterns,
  ...newRelicPatterns,
  ...notionPatterns,
  ...ntfyPatterns,
  ...nugetPatterns,
  ...octopusDeployPatterns,
  ...onfidoPatterns,
  ...openaiPatterns,
  ...openrouterPatterns,
  ...openweatherPatterns,
  ...paddlePatterns,
  ...pangeaPatterns,
  ...perplexityPatterns,
  ...twitchPatterns,
  ...mongodbPatterns,
  ...localstackPatterns,
  ...onesignalPatterns,
  ...pagerdutyPatterns,
];
