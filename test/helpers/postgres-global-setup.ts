import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection URL of the throwaway cluster's `mynakit_test` database. */
    pgUrl: string;
  }
}

/** Starts one cluster for the whole `pg` project, or uses MYNAKIT_TEST_DATABASE_URL when it is set. */
export default async function setup(project: TestProject) {
  const external = process.env.MYNAKIT_TEST_DATABASE_URL;
  if (external) {
    project.provide('pgUrl', external);
    return;
  }
  const cluster = await startPostgresCluster();
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
