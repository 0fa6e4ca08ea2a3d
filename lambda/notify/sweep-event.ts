import type { IdSet } from '../contract/changes.js';
import type { SweepResponse, UnpublishedResponse } from '../contract/response.js';
import { runPath } from '../contract/routes.js';

/*
 * The "Sweep Finished" event, pure: what a rule matches and a notification names. Sent on the
 * default bus after every sweep, single and distributed (sweep-events.ts sends it).
 */

/** The event's `source`: what a rule's pattern names. */
export const EVENT_SOURCE = 'status-sweep';
/** The event's `detail-type`. */
export const SWEEP_FINISHED = 'Sweep Finished';

/**
 * The largest PutEvents entry: Source, DetailType, Detail and Resources as UTF-8 bytes, 14 more
 * for a Time. We keep a margin below it for what we do not count exactly.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const MAX_ENTRY_BYTES = 256 * 1024;
/** Room kept below MAX_ENTRY_BYTES (the Time field's 14 bytes and a generous margin). */
const ENTRY_MARGIN_BYTES = 1_024;

/** The event's `detail`: the sweep in a few fields, its ids as compact ranges. */
export interface SweepFinishedDetail {
  /** Of this schema: a rule may match on it. */
  readonly version: 1;
  readonly sweepId: string;
  readonly target: string;
  /** The schedule that started it, or null. */
  readonly schedule: string | null;
  readonly trigger: SweepResponse['trigger'];
  readonly verdict: SweepResponse['verdict'];
  /** True when the schedule's mute window covered the sweep: routed notifications stay silent. */
  readonly muted: boolean;
  readonly range: SweepResponse['range'];
  readonly total: number;
  readonly expected: number;
  readonly unexpected: number;
  readonly flaky: number;
  readonly notAttempted: number;
  readonly complete: boolean;
  /** Compact ranges ("1026-1030,7"), cut at a range's end when the entry would be too big. */
  readonly unexpectedIds: string;
  readonly flakyIds: string;
  readonly verdictReasons: readonly string[];
  /** Since the baseline: newly unexpected and recovered ids; null without a baseline. */
  readonly changes: { readonly newlyUnexpected: IdSet; readonly recovered: IdSet } | null;
  /** True when some ranges above were cut to fit PutEvents' entry size (counts stay exact). */
  readonly truncated: boolean;
  /** The target's CloudWatch dashboard, when the deployment has one. */
  readonly dashboardUrl?: string;
  /** Distributed sweeps: the path of the run's result on the HTTP API (`GET /sweeps/{id}`). */
  readonly resultPath?: string;
  readonly endedAt: string;
}

/** A PutEvents entry for the default bus. */
export interface SweepEventEntry {
  readonly Source: typeof EVENT_SOURCE;
  readonly DetailType: typeof SWEEP_FINISHED;
  readonly Detail: string;
}

/** Where a sweep came from besides its response. */
export interface EventContext {
  readonly schedule?: string;
  readonly muted?: boolean;
  readonly dashboardUrl?: string;
  /** True for a distributed sweep (a run): the detail names its result's path. */
  readonly run?: boolean;
}

/** Pure: the entry for a finished sweep, its ranges cut so that it fits MAX_ENTRY_BYTES. */
export function sweepFinishedEntry(
  response: UnpublishedResponse,
  context: EventContext = {},
  maxBytes: number = MAX_ENTRY_BYTES - ENTRY_MARGIN_BYTES,
): SweepEventEntry {
  const changes = response.changes;
  const detail: SweepFinishedDetail = {
    version: 1,
    sweepId: response.sweepId,
    target: response.target,
    schedule: context.schedule ?? null,
    trigger: response.trigger,
    verdict: response.verdict,
    muted: context.muted === true,
    range: response.range,
    total: response.total,
    expected: response.expected,
    unexpected: response.unexpected,
    flaky: response.flaky,
    notAttempted: response.notAttempted,
    complete: response.complete,
    unexpectedIds: response.unexpectedIds,
    flakyIds: response.flakyIds,
    verdictReasons: response.verdictReasons,
    changes: changes && { newlyUnexpected: changes.newlyUnexpected, recovered: changes.recovered },
    truncated: false,
    ...(context.dashboardUrl !== undefined && { dashboardUrl: context.dashboardUrl }),
    ...(context.run && { resultPath: runPath(response.sweepId) }),
    endedAt: response.endedAt,
  };
  return entryOf(fitted(detail, maxBytes - fixedBytes()));
}

function entryOf(detail: SweepFinishedDetail): SweepEventEntry {
  return { Source: EVENT_SOURCE, DetailType: SWEEP_FINISHED, Detail: JSON.stringify(detail) };
}

function fixedBytes(): number {
  return Buffer.byteLength(EVENT_SOURCE) + Buffer.byteLength(SWEEP_FINISHED);
}

/** The detail with its longest ranges cut, longest first, until it fits `maxBytes`. */
function fitted(detail: SweepFinishedDetail, maxBytes: number): SweepFinishedDetail {
  let current = detail;
  for (let over = bytesOf(current) - maxBytes; over > 0; over = bytesOf(current) - maxBytes) {
    const fields = rangeFields(current);
    const [name, text] = fields.reduce((a, b) => (b[1].length > a[1].length ? b : a));
    if (text === '') return { ...current, verdictReasons: [], truncated: true };
    current = withRange(current, name, cut(text, text.length - over), true);
  }
  return current;
}

type RangeField = 'unexpectedIds' | 'flakyIds' | 'newlyUnexpected' | 'recovered';

function rangeFields(d: SweepFinishedDetail): [RangeField, string][] {
  return [
    ['unexpectedIds', d.unexpectedIds],
    ['flakyIds', d.flakyIds],
    ['newlyUnexpected', d.changes?.newlyUnexpected.ids ?? ''],
    ['recovered', d.changes?.recovered.ids ?? ''],
  ];
}

function withRange(
  d: SweepFinishedDetail,
  name: RangeField,
  ids: string,
  truncated: boolean,
): SweepFinishedDetail {
  const changes = d.changes;
  if ((name === 'newlyUnexpected' || name === 'recovered') && changes) {
    return { ...d, truncated, changes: { ...changes, [name]: { ...changes[name], ids } } };
  }
  return { ...d, truncated, [name]: ids };
}

/** Compact ranges cut to at most `length` characters at a range's end (a whole range or none). */
function cut(text: string, length: number): string {
  if (length <= 0) return '';
  const end = text.lastIndexOf(',', length);
  return end <= 0 ? '' : text.slice(0, end);
}

function bytesOf(detail: SweepFinishedDetail): number {
  return Buffer.byteLength(JSON.stringify(detail));
}
