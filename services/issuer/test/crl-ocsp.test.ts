/** CRL and OCSP publishing on SQLite (crl-ocsp.cases.ts). */
import { defineCrlOcspCases } from './crl-ocsp.cases.js';
import { testIssuer } from './helpers/installation-fixtures.js';
import { FLOW_NOW } from './installations-flow.cases.js';

defineCrlOcspCases('SQLite', () => testIssuer({ now: FLOW_NOW }));
