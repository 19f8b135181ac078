import type { PatternDefinition } from "../pattern.js";
import { beamerPatterns } from "./beamer.js";
import { bitbucketPatterns } from "./bitbucket.js";
import { blockProtocolPatterns } from "./block-protocol.js";
import { brevoPatterns } from "./brevo.js";
import { buildkitePatterns } from "./buildkite.js";
import { canadianDigitalServicePatterns } from "./canadian-digital-service.js";
import { cashfreePatterns } from "./cashfree.js";
import { cfxRePatterns } from "./cfx-re.js";
import { checkoutComPatterns } from "./checkout-com.js";
import { chiefToolsPatterns } from "./chief-tools.js";
import { circleciPatterns } from "./circleci.js";
import { clojarsPatterns } from "./clojars.js";
import { cloudflarePatterns } from "./cloudflare.js";
import { cockroachLabsPatterns } from "./cockroach-labs.js";
import { coherePatterns } from "./cohere.js";
import { contentfulPatterns } from "./contentful.js";
import { contributedSystemsPatterns } from "./contributed-systems.js";
import { cratesPatterns } from "./crates.js";
import { databricksPatterns } from "./databricks.js";
import { datadogPatterns } from "./datadog.js";
import { datastaxPatterns } from "./datastax.js";
import { deepseekPatterns } from "./deepseek.js";
import { definedNetworkingPatterns } from "./defined-networking.js";
import { devcyclePatterns } from "./devcycle.js";
import { digitaloceanPatterns } from "./digitalocean.js";
import { discordPatterns } from "./discord.js";
import { dockerPatterns } from "./docker.js";
import { dopplerPatterns } from "./doppler.js";
import { dronePatterns } from "./drone.js";
import { dropboxPatterns } from "./dropbox.js";
import { duffelPatterns } from "./duffel.js";
import { dynatracePatterns } from "./dynatrace.js";
import { easypostPatterns } from "./easypost.js";
import { ebayPatterns } from "./ebay.js";
import { facebookPatterns } from "./facebook.js";
import { fastlyPatterns } from "./fastly.js";
import { figmaPatterns } from "./figma.js";
import { finicityPatterns } from "./finicity.js";
import { firebasePatterns } from "./firebase.js";
import { flickrPatterns } from "./flickr.js";
import { flutterwavePatterns } from "./flutterwave.js";
import { flyIoPatterns } from "./fly-io.js";
import { frameIoPatterns } from "./frame-io.js";
import { fullstoryPatterns } from "./fullstory.js";
import { gitlabPatterns } from "./gitlab.js";
import { harnessPatterns } from "./harness.js";
import { infracostPatterns } from "./infracost.js";
import { netlifyPatterns } from "./netlify.js";
import { railwayPatterns } from "./railway.js";
import { renderPatterns } from "./render.js";

/** Catalog batch 2: provider files are listed here and merged into the catalog by index.ts. */
export const batch2Patterns: PatternDefinition[] = [
  ...beamerPatterns,
  ...bitbucketPatterns,
  ...blockProtocolPatterns,
  ...brevoPatterns,
  ...buildkitePatterns,
  ...canadianDigitalServicePatterns,
  ...cashfreePatterns,
  ...cfxRePatterns,
  ...checkoutComPatterns,
  ...chiefToolsPatterns,
  ...circleciPatterns,
  ...clojarsPatterns,
  ...cloudflarePatterns,
  ...cockroachLabsPatterns,
  ...coherePatterns,
  ...contentfulPatterns,
  ...contributedSystemsPatterns,
  ...cratesPatterns,
  ...databricksPatterns,
  ...datadogPatterns,
  ...datastaxPatterns,
  ...deepseekPatterns,
  ...definedNetworkingPatterns,
  ...devcyclePatterns,
  ...digitaloceanPatterns,
  ...discordPatterns,
  ...dockerPatterns,
  ...dopplerPatterns,
  ...dronePatterns,
  ...dropboxPatterns,
  ...duffelPatterns,
  ...dynatracePatterns,
  ...easypostPatterns,
  ...ebayPatterns,
  ...facebookPatterns,
  ...fastlyPatterns,
  ...figmaPatterns,
  ...finicityPatterns,
  ...firebasePatterns,
  ...flickrPatterns,
  ...flutterwavePatterns,
  ...flyIoPatterns,
  ...frameIoPatterns,
  ...fullstoryPatterns,
  ...gitlabPatterns,
  ...harnessPatterns,
  ...infracostPatterns,
  ...netlifyPatterns,
  ...railwayPatterns,
  ...renderPatterns,
];
