/** Medians, ratios and the interleaving that keeps them honest on a shared machine. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Spread of a sample as (max - min) / median, to show how noisy a median is. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

export interface Variant<R> {
  readonly name: string;
  readonly run: () => Promise<R>;
}

/**
 * Runs every variant `warmup` times (discarded), then `reps` rounds in which each variant runs
 * once, rotating the order every round so that no variant always follows the same neighbour.
 */
export async function interleaved<R>(
  variants: readonly Variant<R>[],
  reps: number,
  warmup = 1,
): Promise<Map<string, R[]>> {
  for (let w = 0; w < warmup; w++) for (const v of variants) await v.run();
  const results = new Map<string, R[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < reps; round++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(round + i) % variants.length] as Variant<R>;
      results.get(v.name)?.push(await v.run());
    }
  }
  return results;
}

export const fmt = {
  ms: (ms: number): string =>
    ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`,
  x: (ratio: number): string => `${ratio.toFixed(ratio >= 10 ? 1 : 2)}x`,
  share: (r: number): string => `${(r * 100).toFixed(r < 0.01 ? 2 : 1)} %`,
  mb: (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`,
  kb: (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`,
  int: (n: number): string => n.toLocaleString('en-US'),
};

/** ✅ or ❌ against a target, for the tables. */
export function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED';
}

/** "min–max" of a sample, each end formatted like its median, for the run-to-run range. */
export function range(values: readonly number[], format: (v: number) => string): string {
  if (values.length === 0) return '–';
  return `${format(Math.min(...values))}–${format(Math.max(...values))}`;
}

/** "median (min–max)". */
export function withRange(values: readonly number[], format: (v: number) => string): string {
  return `${format(median(values))} (${range(values, format)})`;
}
