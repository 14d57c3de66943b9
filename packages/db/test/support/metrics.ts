import type { Registry } from 'prom-client';

/** The value of one sample, or undefined when the registry has no such sample. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const sample = metric?.values.find((value) => Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected));
  return sample?.value;
}
