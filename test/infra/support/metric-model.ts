/**
 * A model of what a CloudWatch alarm reads: datums bucketed into periods, one statistic per
 * bucket, and metric math over those buckets (the few functions our alarms use).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Statistic
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */

/** One PutMetricData value (times in seconds). */
export interface Datum {
  readonly key: string;
  readonly time: number;
  readonly value: number;
}
export type Statistic = 'Sum' | 'Average' | 'SampleCount' | 'Maximum' | 'Minimum';
/** A value per bucket; `undefined` is a missing datapoint. */
export type Series = ReadonlyArray<number | undefined>;

/** The identity of a metric: namespace, name and its dimensions in any order. */
export function metricKey(
  namespace: string,
  name: string,
  dimensions: Readonly<Record<string, string>>,
): string {
  const dims = Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return [namespace, name, ...dims].join('|');
}

/** The datums of every metric, queried by [from, to) windows in O(log n). */
export class MetricStore {
  private readonly byKey = new Map<string, { times: number[]; values: number[]; sums: number[] }>();

  constructor(data: readonly Datum[]) {
    const sorted = [...data].sort((a, b) => a.time - b.time);
    for (const d of sorted) {
      const entry = this.byKey.get(d.key) ?? { times: [], values: [], sums: [0] };
      entry.times.push(d.time);
      entry.values.push(d.value);
      entry.sums.push((entry.sums.at(-1) ?? 0) + d.value);
      this.byKey.set(d.key, entry);
    }
  }

  /** When the metric has datums, in order. */
  times(key: string): readonly number[] {
    return this.byKey.get(key)?.times ?? [];
  }

  /** The statistic of the datums in [from, to), or undefined when there are none. */
  statistic(key: string, statistic: Statistic, from: number, to: number): number | undefined {
    const entry = this.byKey.get(key);
    if (entry === undefined) return undefined;
    const lo = lowerBound(entry.times, from);
    const hi = lowerBound(entry.times, to);
    const count = hi - lo;
    if (count === 0) return undefined;
    const sum = (entry.sums[hi] ?? 0) - (entry.sums[lo] ?? 0);
    const slice = (): number[] => entry.values.slice(lo, hi);
    switch (statistic) {
      case 'Sum':
        return sum;
      case 'SampleCount':
        return count;
      case 'Average':
        return sum / count;
      case 'Maximum':
        return Math.max(...slice());
      case 'Minimum':
        return Math.min(...slice());
    }
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Evaluates a metric math expression bucket by bucket: + - * / and parentheses (a missing operand
 * or a division by zero gives a missing result), numbers, query ids, and FILL(series, value),
 * which fills the missing buckets of a series that has data in the range and, like CloudWatch,
 * returns nothing for a series with no data at all.
 */
export function evaluateExpression(expression: string, series: Record<string, Series>): Series {
  const tokens = expression.match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[-+*/(),])/g) ?? [];
  const queue = tokens.map((t) => t.trim());
  if (queue.join('') !== expression.replace(/\s+/g, '')) {
    throw new Error(`unsupported metric math: ${expression}`);
  }
  const length = Math.max(0, ...Object.values(series).map((s) => s.length));
  const take = (expected?: string): string => {
    const token = queue.shift();
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`metric math: expected ${expected ?? 'a token'} in ${expression}`);
    }
    return token;
  };
  const combine = (a: Series, b: Series, op: string): Series =>
    a.map((x, i) => {
      const y = b[i];
      if (x === undefined || y === undefined) return undefined;
      const r = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
      return Number.isFinite(r) ? r : undefined;
    });
  const factor = (): Series => {
    const token = take();
    if (token === '(') {
      const inner = sum();
      take(')');
      return inner;
    }
    if (/^\d/.test(token)) return Array.from({ length }, () => Number(token));
    if (token === 'FILL') {
      take('(');
      const inner = sum();
      take(',');
      const value = Number(take());
      take(')');
      return inner.every((v) => v === undefined) ? inner : inner.map((v) => v ?? value);
    }
    const found = series[token];
    if (found === undefined) throw new Error(`metric math: unknown id ${token}`);
    return found;
  };
  const product = (): Series => {
    let left = factor();
    while (queue[0] === '*' || queue[0] === '/') {
      const op = take();
      left = combine(left, factor(), op);
    }
    return left;
  };
  const sum = (): Series => {
    let left = product();
    while (queue[0] === '+' || queue[0] === '-') {
      const op = take();
      left = combine(left, product(), op);
    }
    return left;
  };
  const result = sum();
  if (queue.length > 0) throw new Error(`metric math: unexpected ${queue[0]} in ${expression}`);
  return result;
}
