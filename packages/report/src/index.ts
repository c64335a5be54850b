export type { Check, CheckStatus, Verdict, Report } from './report.js';
export { verdictOf, check, ReportBuilder } from './report.js';
