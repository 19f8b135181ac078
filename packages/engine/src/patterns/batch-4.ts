import type { PatternDefinition } from "../pattern.js";
import { axiomPatterns } from "./axiom.js";
import { braintreePatterns } from "./braintree.js";
import { bugsnagPatterns } from "./bugsnag.js";
import { honeycombPatterns } from "./honeycomb.js";
import { lemonSqueezyPatterns } from "./lemon-squeezy.js";
import { molliePatterns } from "./mollie.js";
import { personaPatterns } from "./persona.js";
import { pineconePatterns } from "./pinecone.js";
import { pinterestPatterns } from "./pinterest.js";
import { plaidPatterns } from "./plaid.js";
import { planetscalePatterns } from "./planetscale.js";
import { plivoPatterns } from "./plivo.js";
import { polarPatterns } from "./polar.js";
import { posthogPatterns } from "./posthog.js";
import { postmanPatterns } from "./postman.js";
import { prefectPatterns } from "./prefect.js";
import { proofPatterns } from "./proof.js";
import { pulumiPatterns } from "./pulumi.js";
import { rampPatterns } from "./ramp.js";
import { razorpayPatterns } from "./razorpay.js";
import { readmePatterns } from "./readme.js";
import { redirectPizzaPatterns } from "./redirect-pizza.js";
import { replicatePatterns } from "./replicate.js";
import { rollbarPatterns } from "./rollbar.js";
import { rootlyPatterns } from "./rootly.js";
import { rubygemsPatterns } from "./rubygems.js";
import { runpodPatterns } from "./runpod.js";
import { salesforcePatterns } from "./salesforce.js";
import { samsaraPatterns } from "./samsara.js";
import { segmentPatterns } from "./segment.js";
import { sendgridPatterns } from "./sendgrid.js";
import { sentryPatterns } from "./sentry.js";
import { shippoPatterns } from "./shippo.js";
import { shopifyPatterns } from "./shopify.js";
import { sourcegraphPatterns } from "./sourcegraph.js";
import { squarePatterns } from "./square.js";
import { sslmatePatterns } from "./sslmate.js";
import { supabasePatterns } from "./supabase.js";
import { tableauPatterns } from "./tableau.js";
import { tailscalePatterns } from "./tailscale.js";
import { telegramPatterns } from "./telegram.js";
import { telnyxPatterns } from "./telnyx.js";
import { temporalPatterns } from "./temporal.js";
import { tencentPatterns } from "./tencent.js";
import { thunderstorePatterns } from "./thunderstore.js";
import { twilioPatterns } from "./twilio.js";
import { typeformPatterns } from "./typeform.js";
import { unkeyPatterns } from "./unkey.js";
import { valTownPatterns } from "./val-town.js";
import { vercelPatterns } from "./vercel.js";
import { vigilPatterns } from "./vigil.js";
import { wakatimePatterns } from "./wakatime.js";
import { weatherstackPatterns } from "./weatherstack.js";
import { weightsAndBiasesPatterns } from "./weights-and-biases.js";
import { workatoPatterns } from "./workato.js";
import { workosPatterns } from "./workos.js";
import { xaiPatterns } from "./xai.js";
import { yandexPatterns } from "./yandex.js";
import { zuploPatterns } from "./zuplo.js";

/** Catalog batch 4: provider files are listed here and merged into the catalog by index.ts. */
export const batch4Patterns: PatternDefinition[] = [
  ...axiomPatterns,
  ...braintreePatterns,
  ...bugsnagPatterns,
  ...honeycombPatterns,
  ...lemonSqueezyPatterns,
  ...molliePatterns,
  ...personaPatterns,
  ...pineconePatterns,
  ...pinterestPatterns,
  ...plaidPatterns,
  ...planetscalePatterns,
  ...plivoPatterns,
  ...polarPatterns,
  ...posthogPatterns,
  ...postmanPatterns,
  ...prefectPatterns,
  ...proofPatterns,
  ...pulumiPatterns,
  ...rampPatterns,
  ...razorpayPatterns,
  ...readmePatterns,
  ...redirectPizzaPatterns,
  ...replicatePatterns,
  ...rollbarPatterns,
  ...rootlyPatterns,
  ...rubygemsPatterns,
  ...runpodPatterns,
  ...salesforcePatterns,
  ...samsaraPatterns,
  ...segmentPatterns,
  ...sendgridPatterns,
  ...sentryPatterns,
  ...shippoPatterns,
  ...shopifyPatterns,
  ...sourcegraphPatterns,
  ...squarePatterns,
  ...sslmatePatterns,
  ...supabasePatterns,
  ...tableauPatterns,
  ...tailscalePatterns,
  ...telegramPatterns,
  ...telnyxPatterns,
  ...temporalPatterns,
  ...tencentPatterns,
  ...thunderstorePatterns,
  ...twilioPatterns,
  ...typeformPatterns,
  ...unkeyPatterns,
  ...valTownPatterns,
  ...vercelPatterns,
  ...vigilPatterns,
  ...wakatimePatterns,
  ...weatherstackPatterns,
  ...weightsAndBiasesPatterns,
  ...workatoPatterns,
  ...workosPatterns,
  ...xaiPatterns,
  ...yandexPatterns,
  ...zuploPatterns,
];
