/** Test-only helpers shared by the packages' suites: hostile input generators and the prototype guard. */
export * from './hostile-input.js';
export * from './prototype-guard.js';
