/** RFC 9457 problems, shared by every service (@mynakit/http-kit). */
export { PROBLEM_MEDIA_TYPE, type ProblemDetails, problem } from '@mynakit/http-kit';
