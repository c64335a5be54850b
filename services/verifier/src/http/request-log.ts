/** One log line per request without personal data, shared by every service (@mynakit/http-kit). */
export { requestLog } from '@mynakit/http-kit';
