export {
  createPartnerReceiver,
  type PartnerReceiver,
  type ReceiverOptions,
  type ReceiverResponse,
  type TokenIssuer,
} from "./receiver.js";
export {
  createStaticKeySource,
  createUrlKeySource,
  GITHUB_PUBLIC_KEYS_URL,
  parsePublicKeys,
  type KeySource,
  type PublicKey,
  type UrlKeySourceOptions,
} from "./key-source.js";
export { parseReports, ReportFormatError, type Label, type PartnerReport, type TokenFeedback } from "./reports.js";
export {
  KEY_IDENTIFIER_HEADER,
  keyIdentifierOf,
  SIGNATURE_HEADER,
  signPayload,
  tokenHash,
  verifySignature,
} from "./signature.js";
