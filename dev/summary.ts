import type { SweepResponse } from '../lambda/contract/response.js';
import type { ErrorSamples, HistogramSnapshot } from '../lambda/sweep/data.js';
import { LatencyHistogram } from '../lambda/sweep/data.js';
import { formatChanges, hasChanges } from './baseline.js';

const HISTOGRAM_BINS = 8;
const BAR_WIDTH = 32;
const IDS_WIDTH = 48;

const MAX_SAMPLES = 5;

/** What the CLI knows beyond the response. */
export interface SummaryExtras {
  /** The latency histogram of the aggregate, for the bars. */
  readonly latency?: HistogramSnapshot;
  /** The slowest ids that got a status, slowest first. */
  readonly slowest?: readonly { readonly id: number; readonly latencyMs: number }[];
  /** What ended an incomplete sweep, in words: "the 28 s API limit", "Ctrl-C". */
  readonly stoppedBy?: string;
}

/**
 * The human summary of `npm start`: the verdict first, then counts, latency with a histogram,
 * the slowest ids, error samples, duration and speed-up.
 */
export function formatSummary(response: SweepResponse, extras: SummaryExtras = {}): string {
  const { range, latencyMs } = response;
  const { latency, slowest = [] } = extras;
  const done = response.complete
    ? 'complete'
    : `INCOMPLETE (stopped by ${extras.stoppedBy ?? 'the deadline'})`;
  const unexpectedIds = response.unexpected > 0 ? `: ${ids(response.unexpectedIds)}` : '';
  const { changes } = response;
  const lines = [
    // The verdict is the first line a terminal shows; what changed since --baseline follows it.
    `${response.verdict.toUpperCase()} · ${response.expected} expected, ${response.unexpected} unexpected${unexpectedIds}`,
    ...(changes && hasChanges(changes) ? formatChanges(changes, row) : []),
    `ids ${range.start}-${range.end} (${response.total}) · ${done} in ${seconds(response.durationMs)}`,
    ...outcomeLines('statuses', response.statuses, response.ids),
    ...outcomeLines('errors', nonZero(response.errors), response.ids),
    ...checkLines(response),
    ...errorSamples(response.errorSamples),
  ];
  if (response.notAttempted > 0) {
    lines.push(row('not tried', `${response.notAttempted}  ${ids(response.ids.notAttempted)}`));
  }
  lines.push(row('attempts', `${response.attempts} (${response.retries} retries)`));
  if (latencyMs === null) {
    lines.push(row('latency', 'none: no id got a response'));
  } else {
    const { mean } = latencyMs;
    const [min, p50, p90, p95, p99, max] = [
      latencyMs.min,
      latencyMs.p50,
      latencyMs.p90,
      latencyMs.p95,
      latencyMs.p99,
      latencyMs.max,
    ].map(Math.round);
    lines.push(
      row(
        'latency',
        `min ${min} · p50 ${p50} · p90 ${p90} · p95 ${p95} · p99 ${p99} · max ${max} · mean ${Math.round(mean)} ms`,
      ),
      ...(latency ? histogram(latency) : []),
      ...phaseLines(response.phases),
    );
    if (slowest.length > 0) {
      const list = slowest.map(({ id, latencyMs: ms }) => `${id} (${Math.round(ms)} ms)`);
      lines.push(row('slowest', list.join(' · ')));
    }
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
  const { certificate } = response;
  if (certificate) {
    const { subject, issuer, notAfter, daysLeft } = certificate;
    const when = `${notAfter.slice(0, 10)}, ${daysLeft < 0 ? 'EXPIRED' : `in ${daysLeft} days`}`;
    lines.push(row('cert', `${subject} (issued by ${issuer}) expires ${when}`));
  }
  lines.push(row('metrics', metricsLine(response.metrics)));
  if (changes && !hasChanges(changes)) lines.push(...formatChanges(changes, row));
  // Why `changes` is null when a comparison was asked for and not made.
  if (response.skipped) lines.push(row('changes', `not compared: ${response.skipped.changes}`));
  return `${lines.join('\n')}\n`;
}

function metricsLine(metrics: SweepResponse['metrics']): string {
  if (metrics.status === 'local') {
    return 'local: the block below, not sent (--metrics cloudwatch publishes them)';
  }
  return metrics.status + (metrics.reason ? ` (${metrics.reason})` : '');
}

/** Ids whose rule's checks failed (content, slow) and why, when there are any. */
function checkLines(response: SweepResponse): string[] {
  const { content, slow } = response.unexpectedReasons;
  const checks = nonZero({ content, slow });
  if (Object.keys(checks).length === 0) return [];
  const { content: contentSamples = [], slow: slowSamples = [] } = response.unexpectedSamples;
  const why = [...contentSamples, ...slowSamples].slice(0, MAX_SAMPLES);
  return [
    ...outcomeLines('checks', checks, response.ids),
    ...why.map((line, i) => row(i === 0 ? 'why' : '', line)),
  ];
}

/** The error text behind the counts: each kind's samples, MAX_SAMPLES lines at most. */
function errorSamples(samples: ErrorSamples): string[] {
  const lines = Object.entries(samples).flatMap(([kind, texts]) =>
    (texts ?? []).map((text) => `${kind}: ${text}`),
  );
  return lines.slice(0, MAX_SAMPLES).map((line, i) => row(i === 0 ? 'samples' : '', line));
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

const PHASE_LABELS = { connect: 'connect', tls: 'tls', firstByte: 'first byte', body: 'body' };

/** Each phase's percentiles under the histogram; connect and TLS count new connections only. */
function phaseLines(phases: SweepResponse['phases']): string[] {
  if (!phases) return [];
  const lines = Object.entries(PHASE_LABELS).map(([phase, label], i) => {
    const summary = phases[phase as keyof typeof PHASE_LABELS];
    const text = summary
      ? `×${String(summary.count).padEnd(6)} p50 ${summary.p50} · p95 ${summary.p95} · p99 ${summary.p99} ms`
      : 'none';
    return row(i === 0 ? 'phases' : '', `${label.padEnd(11)}${text}`);
  });
  return [...lines, row('', '(connect and tls: new connections only; a reused one has neither)')];
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
