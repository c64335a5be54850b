/** The installation flows on SQLite (installations-flow.cases.ts). */
import { defineInstallationFlowCases, FLOW_NOW } from './installations-flow.cases.js';
import { testIssuer } from './helpers/installation-fixtures.js';

defineInstallationFlowCases('SQLite', () => testIssuer({ now: FLOW_NOW }));
