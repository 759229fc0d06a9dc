import { join } from 'node:path';
import type { CollectorOptions } from '../config.js';
import { createCollector, type Collector, type CreateCollectorOptions } from '../create-collector.js';

/** What a server passes every project's collector besides its options: clock, stores, findings, bounds. */
export type CollectorOverrides = Omit<CreateCollectorOptions, keyof CollectorOptions | 'listen' | 'publicUrl'>;

/** Options of one project's collector: its own data dir and ClickHouse database when keys are in use. */
export function projectOptions(options: CollectorOptions, project: string, keyed: boolean): CollectorOptions {
  if (!keyed) return options;
  return {
    ...options,
    dataDir: options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, 'projects', project),
    clickhouseDatabase: `${options.clickhouseDatabase}_${project}`,
  };
}

/**
 * Opens one collector per project into `collectors`, in order, none of them listening: their apps
 * are reached through the server's gateway at `publicUrl`. If one fails to open, those already
 * open are closed and the error is thrown.
 */
export async function openProjectCollectors(
  collectors: Map<string, Collector>,
  {
    projects,
    keyed,
    options,
    overrides,
    publicUrl,
  }: { projects: readonly string[]; keyed: boolean; options: CollectorOptions; overrides: CollectorOverrides; publicUrl: string },
): Promise<void> {
  try {
    for (const project of projects) {
      collectors.set(
        project,
        await createCollector({ ...overrides, ...projectOptions(options, project, keyed), listen: false, publicUrl }),
      );
    }
  } catch (error) {
    await Promise.all([...collectors.values()].map((collector) => collector.close()));
    collectors.clear();
    throw error;
  }
}
