import type { TestProject } from 'vitest/node';
import { createDataDirTemplate } from './support/throwaway-postgres.js';

/** Runs initdb once for the whole run; throwaway clusters copy the result and the teardown removes it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = await createDataDirTemplate();
  project.provide('pgDataDirTemplate', template.dir);
  return template.remove;
}
