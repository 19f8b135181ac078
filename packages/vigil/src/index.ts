export { createProgram, main } from "./cli/main.js";
export { loadConfig, parseConfig, defaultConfig, type VigilConfig } from "./config/config.js";
export { VigilError, ERROR_CODES, type ErrorCode } from "./errors.js";
export { scanFiles, type FileScanOptions, type FileScanResult } from "./scan/file-scanner.js";
export { buildMatcher, type MatcherSettings } from "./scan/matcher-settings.js";
export { walkFiles } from "./sources/file-walker.js";
export type { FindingLocation, ReportedFinding, ScanStats } from "./sources/types.js";
export { formatFindings, OUTPUT_FORMATS, type OutputFormat } from "./output/format-findings.js";
export { VIGIL_VERSION } from "./version.js";
