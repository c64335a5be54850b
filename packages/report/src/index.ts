export type { Check, CheckStatus, Report, Verdict } from './report.js';
export { check, ReportBuilder, verdictOf } from './report.js';
