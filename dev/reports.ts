import type { SweepResponse } from '../lambda/contract/response.js';
import { formatSpans, parseSpans, type Span, spanTotal } from '../lambda/sweep/data.js';

/** Output CI systems read: JUnit XML (one test case per expectation rule) and Markdown. */

/** An expectation rule as --expect takes it; `ids` omitted means every id. */
interface Rule {
  readonly ids?: string;
  readonly statuses?: readonly (string | number)[];
  readonly body?: unknown;
  readonly maxLatencyMs?: number;
}

/** Issue 10's default: every id should end 2xx or 3xx. */
const DEFAULT_RULES: readonly Rule[] = [{ statuses: ['2xx', '3xx'] }];
const OPEN_END = Number.MAX_SAFE_INTEGER;

/**
 * JUnit XML: a test case per expectation rule, failing with the unexpected ids the rule covers
 * (first matching rule wins, as in the verdict) and what they got; one more for completeness.
 */
export function formatJunit(response: SweepResponse, expect?: unknown): string {
  const rules = Array.isArray(expect) && expect.length > 0 ? (expect as Rule[]) : DEFAULT_RULES;
  let left = parseSpans(response.unexpectedIds);
  const cases = rules.map((rule) => {
    const covered = rule.ids === undefined ? left : intersect(left, ruleSpans(rule.ids));
    left = subtract(left, covered);
    const name = `ids ${rule.ids ?? 'all'} → ${(rule.statuses ?? []).join(', ')}${checksOf(rule)}`;
    if (covered.length === 0) return testCase(name);
    const got = covered.map((span) => `${formatSpans([span])} got ${outcomesOf(response, span)}`);
    const why = samplesWithin(response, covered);
    return testCase(name, `${spanTotal(covered)} unexpected ids`, [...got, ...why].join('\n'));
  });
  cases.push(
    response.complete
      ? testCase('every id attempted')
      : testCase(
          'every id attempted',
          `${response.notAttempted} ids not attempted`,
          response.ids.notAttempted ?? '',
        ),
  );
  const compared = differencesCase(response);
  if (compared !== undefined) cases.push(compared);
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const suite = `status-sweep ${response.target} ${response.range.start}-${response.range.end}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="status-sweep" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" time="${response.durationMs / 1000}">`,
    ...cases.map((c) => `    ${c}`),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Markdown for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment. */
export function formatMarkdown(response: SweepResponse): string {
  const counts = (record: Readonly<Record<string, number>>) =>
    Object.entries(record)
      .filter(([, n]) => n > 0)
      .map(([key, n]) => `${key} ×${n}`)
      .join(', ') || 'none';
  const l = response.latencyMs;
  const rows = [
    ['target', response.target],
    ['ids', `${response.range.start}-${response.range.end} (${response.total})`],
    ['complete', response.complete ? 'yes' : `no: ${response.notAttempted} ids not attempted`],
    ['expected / unexpected', `${response.expected} / ${response.unexpected}`],
    ['unexpected ids', response.unexpectedIds || 'none'],
    ['why', counts(response.unexpectedReasons)],
    ...Object.values(response.unexpectedSamples)
      .flat()
      .map((sample, i) => [i === 0 ? 'samples' : '', sample]),
    ['statuses', counts(response.statuses)],
    ['errors', counts(response.errors)],
    ...(response.compareTarget === undefined
      ? []
      : [
          ['compared with', response.compareTarget],
          ['differences', differenceLines(response).join('; ') || 'none'],
        ]),
    ['latency', l ? `p50 ${l.p50} · p95 ${l.p95} · p99 ${l.p99} · max ${l.max} ms` : 'none'],
    ['duration', `${response.durationMs} ms`],
  ];
  return [
    `### Status Sweep: ${response.verdict.toUpperCase()}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, value]) => `| ${k} | ${String(value).replaceAll('|', '\\|')} |`),
    '',
  ].join('\n');
}

/** With compareTarget: a test case failing with each differing range, as `200→404: 98-100`. */
function differencesCase(response: SweepResponse): string | undefined {
  if (response.compareTarget === undefined) return undefined;
  const name = `same outcome on ${response.compareTarget}`;
  const count = response.differences?.count ?? 0;
  if (count === 0) return testCase(name);
  return testCase(name, `${count} ids differ`, differenceLines(response).join('\n'));
}

/** `200→404: 98-100` for each transition between the two targets. */
function differenceLines(response: SweepResponse): string[] {
  return Object.entries(response.differences?.transitions ?? {}).map(
    ([step, ids]) => `${step}: ${ids}`,
  );
}

/** What a rule checks beyond statuses, in a test case's name: ` + body, ≤ 2000 ms`. */
function checksOf(rule: Rule): string {
  const checks = [
    ...(rule.body === undefined ? [] : ['body']),
    ...(rule.maxLatencyMs === undefined ? [] : [`≤ ${rule.maxLatencyMs} ms`]),
  ];
  return checks.length > 0 ? ` + ${checks.join(', ')}` : '';
}

/** The check samples (`id 25: /id is 26, expected 25`) of ids within `spans`; statuses say enough. */
function samplesWithin(response: SweepResponse, spans: readonly Span[]): string[] {
  const { content = [], slow = [] } = response.unexpectedSamples;
  return [...content, ...slow].filter((sample) => {
    const id = Number(/^id (\d+):/.exec(sample ?? '')?.[1]);
    return spans.some(([first, last]) => id >= first && id <= last);
  });
}

function testCase(name: string, message?: string, body = ''): string {
  const open = `<testcase classname="status-sweep" name="${xml(name)}"`;
  if (message === undefined) return `${open}/>`;
  return `${open}><failure message="${xml(message)}">${xml(body)}</failure></testcase>`;
}

/** A rule's ids: "1-1025", "1026-" (open end), "1,5-9". */
function ruleSpans(ids: string): Span[] {
  return ids.split(',').map((part) => {
    const [first, last] = part.trim().split('-');
    return [
      Number(first),
      last === undefined ? Number(first) : last === '' ? OPEN_END : Number(last),
    ];
  });
}

function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [a0, a1] of a) {
    for (const [b0, b1] of b) {
      if (Math.max(a0, b0) <= Math.min(a1, b1)) out.push([Math.max(a0, b0), Math.min(a1, b1)]);
    }
  }
  return out.sort((x, y) => x[0] - y[0]);
}

function subtract(from: readonly Span[], cut: readonly Span[]): Span[] {
  let rest = [...from];
  for (const [c0, c1] of cut) {
    rest = rest.flatMap(([f0, f1]): Span[] => {
      if (c1 < f0 || c0 > f1) return [[f0, f1]];
      const parts: Span[] = [];
      if (f0 < c0) parts.push([f0, c0 - 1]);
      if (c1 < f1) parts.push([c1 + 1, f1]);
      return parts;
    });
  }
  return rest;
}

/** "404 ×5, timeout ×1": the outcomes of the response's ids within the span. */
function outcomesOf(response: SweepResponse, span: Span): string {
  return Object.entries(response.ids)
    .map(([outcome, ids]) => [outcome, spanTotal(intersect(parseSpans(ids), [span]))] as const)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${outcome} ×${n}`)
    .join(', ');
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
