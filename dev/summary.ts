import type { SweepResponse } from '../lambda/response.js';
import type { HistogramSnapshot } from '../lambda/sweep/histogram.js';
import { LatencyHistogram } from '../lambda/sweep/histogram.js';
import { formatChanges, hasChanges } from './baseline.js';

const HISTOGRAM_BINS = 8;
const BAR_WIDTH = 32;
const IDS_WIDTH = 48;

/** The human summary of `npm start`: counts, latency with a histogram, duration and speed-up. */
export function formatSummary(response: SweepResponse, latency?: HistogramSnapshot): string {
  const { range, latencyMs } = response;
  const done = response.complete ? 'complete' : 'INCOMPLETE (deadline reached)';
  const { changes } = response;
  // What changed is the news: it comes first when there is any.
  const lines = [
    ...(changes && hasChanges(changes) ? [...formatChanges(changes, row), ''] : []),
    `ids ${range.start}-${range.end} (${response.total}) · ${done} in ${seconds(response.durationMs)}`,
    ...outcomeLines('statuses', response.statuses, response.ids),
    ...outcomeLines('errors', nonZero(response.errors), response.ids),
  ];
  if (response.notAttempted > 0) {
    lines.push(row('not tried', `${response.notAttempted}  ${ids(response.ids.notAttempted)}`));
  }
  lines.push(row('attempts', `${response.attempts} (${response.retries} retries)`));
  if (latencyMs === null) {
    lines.push(row('latency', 'none: no id got a response'));
  } else {
    const { min, mean, p50, p90, p95, p99, max } = latencyMs;
    lines.push(
      row(
        'latency',
        `min ${min} · p50 ${p50} · p90 ${p90} · p95 ${p95} · p99 ${p99} · max ${max} · mean ${mean} ms`,
      ),
      ...(latency ? histogram(latency) : []),
    );
    const answered = Object.values(response.statuses).reduce((a, b) => a + b, 0);
    const oneByOneMs = mean * answered;
    if (response.durationMs > 0) {
      lines.push(
        row(
          'speed-up',
          `${(oneByOneMs / response.durationMs).toFixed(1)}× over one by one: ${seconds(oneByOneMs)} of responses in ${seconds(response.durationMs)}`,
        ),
      );
    }
  }
  lines.push(
    row(
      'metrics',
      response.metrics.status + (response.metrics.reason ? ` (${response.metrics.reason})` : ''),
    ),
  );
  if (changes && !hasChanges(changes)) lines.push(...formatChanges(changes, row));
  return `${lines.join('\n')}\n`;
}

function outcomeLines(
  label: string,
  counts: Readonly<Record<string, number>>,
  idsByOutcome: Readonly<Record<string, string>>,
): string[] {
  const entries = Object.entries(counts);
  if (entries.length === 0) return [row(label, 'none')];
  return entries.map(([key, n], i) =>
    row(
      i === 0 ? label : '',
      `${key.padEnd(10)} ×${String(n).padEnd(6)} ${ids(idsByOutcome[key])}`,
    ),
  );
}

/** Latency counts in equal-width bins from min to max, as bars. */
function histogram(snapshot: HistogramSnapshot): string[] {
  const values = LatencyHistogram.fromJSON(snapshot).weightedValues();
  const min = snapshot.minMs ?? 0;
  const max = snapshot.maxMs ?? 0;
  const bins = max > min ? HISTOGRAM_BINS : 1;
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const { value, count } of values) {
    const bin = width === 0 ? 0 : Math.min(bins - 1, Math.floor((value - min) / width));
    counts[bin] = (counts[bin] ?? 0) + count;
  }
  const peak = Math.max(...counts);
  return counts.map((count, i) => {
    const from = Math.round(min + i * width);
    const to = Math.round(min + (i + 1) * width);
    const label = `${from}-${to} ms`.padStart(15);
    const bar = '█'.repeat(Math.round((count / peak) * BAR_WIDTH)) || (count > 0 ? '▏' : '');
    return `${''.padEnd(12)}${label} │${bar.padEnd(BAR_WIDTH)} ${count}`;
  });
}

function nonZero(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

function row(label: string, text: string): string {
  return `  ${label.padEnd(10)}${text}`;
}

function ids(form: string | undefined): string {
  if (!form) return '';
  return form.length > IDS_WIDTH ? `${form.slice(0, IDS_WIDTH - 1)}…` : form;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
