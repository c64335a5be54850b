/** The notices stream on SQLite (notices-stream.cases.ts). */
import { testIssuer } from './helpers/installation-fixtures.js';
import { defineNoticeStreamCases, NOTICES_NOW } from './notices-stream.cases.js';

defineNoticeStreamCases('SQLite', () => testIssuer({ now: NOTICES_NOW }));
