/** The sandbox's resident register: seeded test residents, their cards at first start, the operator token. */
export { bearerTokenOf, isAdminToken } from './admin-auth.js';
export {
  MAX_SYNTHETIC_RESIDENTS,
  SANDBOX_MUNICIPALITIES,
  SEED_RESIDENTS,
  type SeedResident,
  seedResidents,
  syntheticResidents,
  withCheckDigit,
} from './seed-residents.js';
export { type SandboxSeedResult, seedSandbox } from './seed-sandbox.js';
