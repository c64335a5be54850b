#!/usr/bin/env node
// Inside the repository the command runs the TypeScript sources directly (no build step after `npm ci`):
// tsx compiles them, and a resolve hook adds the `source` export condition so that every workspace
// package resolves to its `src/` entry point. An installed package runs its compiled `dist/`.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const sourceEntry = new URL('../src/main.ts', import.meta.url);
if (existsSync(sourceEntry)) {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // Registered last, so it runs first and hands the extra condition to tsx's resolver.
  register(new URL('./source-condition.js', import.meta.url));
  const { main } = await import(sourceEntry.href);
  process.exitCode = await main(process.argv);
} else {
  const { main } = await import('../dist/src/main.js');
  process.exitCode = await main(process.argv);
}
