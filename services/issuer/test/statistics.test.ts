/** GET /statistics on SQLite (statistics.cases.ts). */
import { testIssuer } from './helpers/installation-fixtures.js';
import { defineStatisticsCases, STATISTICS_NOW } from './statistics.cases.js';

defineStatisticsCases('SQLite', () => testIssuer({ now: STATISTICS_NOW }));
