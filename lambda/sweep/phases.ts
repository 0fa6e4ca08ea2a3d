import { type HistogramSnapshot, LatencyHistogram } from './histogram.js';

/*
 * Where a sweep's time went, by phase, and the certificates its connections were given. Connect
 * (DNS included) and TLS belong to connections, not requests: a request on a reused connection
 * has none, so those two histograms count new connections. First byte (request written → first
 * response byte) and body (→ its end) count the final attempt of each id that got a status.
 */

export const PHASES = ['connect', 'tls', 'firstByte', 'body'] as const;
export type Phase = (typeof PHASES)[number];

/** Each phase's histogram, mergeable like the latency's. */
export type PhaseSnapshots = Readonly<Record<Phase, HistogramSnapshot>>;

/** What one new connection took, and the leaf certificate it was given (TLS only). */
export interface NewConnection {
  readonly connectMs: number;
  readonly tlsMs?: number;
  readonly certificate?: Certificate;
}

/** A leaf certificate, as much of it as a caller may see. */
export interface Certificate {
  /** Epoch milliseconds. */
  readonly notAfter: number;
  /** Common name (or the whole subject when it has none), at most MAX_NAME_CHARS. */
  readonly subject: string;
  readonly issuer: string;
}

/** A name is a label, not a document. */
const MAX_NAME_CHARS = 120;

/** Histograms per phase; the tally holds one per sweep. */
export class PhaseHistograms {
  readonly #histograms = {
    connect: new LatencyHistogram(),
    tls: new LatencyHistogram(),
    firstByte: new LatencyHistogram(),
    body: new LatencyHistogram(),
  };
  /** The earliest-expiring certificate seen. */
  certificate: Certificate | undefined;

  connection(connection: NewConnection): void {
    this.#histograms.connect.record(connection.connectMs);
    if (connection.tlsMs !== undefined) this.#histograms.tls.record(connection.tlsMs);
    if (connection.certificate) this.certify(connection.certificate);
  }

  request(firstByteMs: number, bodyMs: number): void {
    this.#histograms.firstByte.record(firstByteMs);
    this.#histograms.body.record(bodyMs);
  }

  certify(certificate: Certificate): void {
    this.certificate = earliest(this.certificate, certificate);
  }

  toJSON(): PhaseSnapshots {
    const h = this.#histograms;
    return {
      connect: h.connect.toJSON(),
      tls: h.tls.toJSON(),
      firstByte: h.firstByte.toJSON(),
      body: h.body.toJSON(),
    };
  }
}

/** The phases of several aggregates, merged exactly; undefined when none has any. */
export function mergePhases(
  parts: readonly (PhaseSnapshots | undefined)[],
): PhaseSnapshots | undefined {
  const present = parts.filter((p): p is PhaseSnapshots => p !== undefined);
  const [first, ...rest] = present;
  if (!first) return undefined;
  const merged = Object.fromEntries(
    PHASES.map((phase) => {
      const histogram = LatencyHistogram.fromJSON(first[phase]);
      for (const part of rest) histogram.merge(part[phase]);
      return [phase, histogram.toJSON()];
    }),
  );
  return merged as unknown as PhaseSnapshots;
}

/** The certificate that expires first (either may be missing). */
export function earliest(a: Certificate | undefined, b: Certificate | undefined) {
  if (!a) return b;
  if (!b) return a;
  return b.notAfter < a.notAfter ? b : a;
}

/** From node's peer certificate: notAfter and short names; undefined when it has no dates. */
export function certificateOf(peer: {
  readonly valid_to?: string;
  readonly subject?: Readonly<Record<string, unknown>>;
  readonly issuer?: Readonly<Record<string, unknown>>;
}): Certificate | undefined {
  const notAfter = Date.parse(peer.valid_to ?? '');
  if (!Number.isFinite(notAfter)) return undefined;
  return { notAfter, subject: nameOf(peer.subject), issuer: nameOf(peer.issuer) };
}

function nameOf(name: Readonly<Record<string, unknown>> | undefined): string {
  const cn = name?.CN;
  const text =
    typeof cn === 'string'
      ? cn
      : Object.entries(name ?? {})
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(', ');
  return text.length > MAX_NAME_CHARS ? `${text.slice(0, MAX_NAME_CHARS - 1)}…` : text;
}

/** A phase's percentiles over its samples: connections for connect/TLS, ids for the others. */
export interface PhaseSummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Each phase's summary, null for a phase without samples (no new connection, no TLS). */
export type PhaseSummaries = Readonly<Record<Phase, PhaseSummary | null>>;

/** Pure: the percentiles of each phase's histogram. */
export function summarizePhases(phases: PhaseSnapshots): PhaseSummaries {
  const entries = PHASES.map((phase) => {
    const snapshot = phases[phase];
    const summary = LatencyHistogram.fromJSON(snapshot).summary();
    if (!summary) return [phase, null];
    const { p50, p95, p99 } = summary;
    return [phase, { count: snapshot.count, p50, p95, p99 }];
  });
  return Object.fromEntries(entries) as PhaseSummaries;
}

/** The earliest-expiring certificate as a caller sees it, with days left from `at`. */
export interface CertificateReport {
  /** Days from the sweep's end to notAfter, two decimals; negative once expired. */
  readonly daysLeft: number;
  /** ISO 8601. */
  readonly notAfter: string;
  readonly subject: string;
  readonly issuer: string;
}

const MS_PER_DAY = 86_400_000;

/** Pure: the report of `certificate` at epoch ms `at`. */
export function certificateReport(certificate: Certificate, at: number): CertificateReport {
  return {
    daysLeft: Math.floor(((certificate.notAfter - at) / MS_PER_DAY) * 100) / 100,
    notAfter: new Date(certificate.notAfter).toISOString(),
    subject: certificate.subject,
    issuer: certificate.issuer,
  };
}
