import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../dev/summary.js';
import { createHandlers } from '../../lambda/entry/handler.js';
import { loadConfig } from '../../lambda/ground/config.js';
import { measure } from '../../lambda/metrics/measurements.js';
import { newPool } from '../../lambda/sweep/dispatcher.js';
import { certificateReport, summarizePhases } from '../../lambda/sweep/phases.js';
import { sweep } from '../../lambda/sweep/sweep.js';
import { DEFAULT_EXPECTATIONS } from '../../lambda/verdict/expectations.js';
import { judge } from '../../lambda/verdict/verdict.js';
import { directEvent, lambdaContext } from '../support/events.js';
import { ok } from '../support/fault-tour.js';
import { startFaultUpstream, type Transport } from '../support/fault-upstream.js';
import { useLoopbackEngine } from '../support/loopback-engine.js';
import { expectAccountedFor, swept } from '../support/sweep-handler.js';

const engine = useLoopbackEngine();
/** Every answer waits this long after the request arrives: first byte cannot come sooner. */
const LATENCY_MS = 30;
const IDS = 40;
const CONCURRENCY = 4;

async function upstreamOver(transport: Transport, tls = engine.certs().valid) {
  return engine.closeAfter(
    await startFaultUpstream(() => ok(), {
      transport,
      ...(transport !== 'h1' && { tls }),
      latencyMs: LATENCY_MS,
    }),
  );
}

const sweepOf = (urlTemplate: string, extra: { phases?: boolean } = {}) =>
  sweep({
    range: { start: 1, end: IDS },
    urlTemplate,
    concurrency: CONCURRENCY,
    timeoutMs: 10_000,
    retries: 0,
    ...extra,
  });

describe.each(['h1', 'tls', 'h2'] as const)('phases over %s', (transport) => {
  it('times connect and TLS once per new connection, first byte and body once per id', async () => {
    const upstream = await upstreamOver(transport);

    const aggregate = await sweepOf(upstream.urlTemplate);

    const phases = summarizePhases(aggregate.phases ?? ({} as never));
    const connections = upstream.connectionsAccepted();
    expect(phases.connect?.count).toBe(connections);
    expect(phases.tls?.count ?? 0).toBe(transport === 'h1' ? 0 : connections);
    expect(phases.firstByte?.count).toBe(IDS);
    expect(phases.body?.count).toBe(IDS);
    // The upstream waits LATENCY_MS before its headers: the first byte cannot be earlier.
    expect(phases.firstByte?.p50).toBeGreaterThanOrEqual(LATENCY_MS * 0.95);
    expect(phases.firstByte?.p50 ?? 0).toBeLessThanOrEqual(aggregate.latency.maxMs ?? 0);
    if (transport === 'h1') expect(aggregate.certificate).toBeUndefined();
    // TCP is up before the handshake starts: both phases took some time.
    expect(phases.connect?.p50).toBeGreaterThan(0);
    if (transport !== 'h1') expect(phases.tls?.p50).toBeGreaterThan(0);
  });
});

describe('certificates', () => {
  it('reports the leaf that expires in 3 days, with subject and issuer, and publishes its days', async () => {
    const upstream = await upstreamOver('tls', engine.certs().expiringSoon);

    const aggregate = await sweepOf(upstream.urlTemplate);

    const certificate = aggregate.certificate;
    expect(certificate).toBeDefined();
    const report = certificateReport(certificate ?? ({} as never), aggregate.endedAt);
    expect(report.subject).toBe('loopback');
    expect(report.issuer).toBe('Status Sweep Test CA');
    expect(report.daysLeft).toBeGreaterThan(2.9);
    expect(report.daysLeft).toBeLessThanOrEqual(3);
    const measured = measure(
      aggregate,
      judge(aggregate, DEFAULT_EXPECTATIONS, { failedBelowPercent: 95 }),
    );
    expect(measured.find((m) => m.name === 'CertificateDaysLeft')).toMatchObject({
      value: report.daysLeft,
    });
    expect(measured.map((m) => m.name)).toEqual(
      expect.arrayContaining(['ConnectLatency', 'TlsLatency', 'FirstByteLatency', 'BodyLatency']),
    );
  });

  it('answers with certificate.daysLeft and the phases, and the summary prints them', async () => {
    const upstream = await upstreamOver('h2', engine.certs().expiringSoon);
    const config = loadConfig({
      TARGET_URL_TEMPLATE: upstream.urlTemplate,
      TARGET_NAME: 'soon',
      METRICS_MODE: 'off',
    });
    const { invoke } = createHandlers(config, { log: () => undefined });

    const response = swept(await invoke(directEvent({ start: 1, end: IDS }), lambdaContext()));

    expectAccountedFor(response);
    expect(response.statuses).toEqual({ '200': IDS });
    expect(response.certificate).toMatchObject({
      subject: 'loopback',
      issuer: 'Status Sweep Test CA',
    });
    expect(response.certificate?.daysLeft).toBeGreaterThan(2.9);
    expect(response.certificate?.daysLeft).toBeLessThanOrEqual(3);
    expect(response.phases?.firstByte?.count).toBe(IDS);
    expect(response.phases?.tls?.count).toBe(upstream.connectionsAccepted());
    const summary = formatSummary(response);
    expect(summary).toMatch(
      /cert +loopback \(issued by Status Sweep Test CA\) expires \d{4}-\d\d-\d\d, in \d\.\d+ days/,
    );
    expect(summary).toMatch(/first byte ×40 +p50 /);
  });

  it('still reports it when a warm pool reuses every connection (no connect or TLS phase)', async () => {
    const upstream = await upstreamOver('tls', engine.certs().expiringSoon);
    const pool = newPool(new URL(upstream.urlTemplate).origin, CONCURRENCY);
    try {
      await sweep({ ...sweepOptions(upstream.urlTemplate), pool });
      const opened = upstream.connectionsAccepted();

      const warm = await sweep({ ...sweepOptions(upstream.urlTemplate), pool });

      expect(upstream.connectionsAccepted()).toBe(opened);
      expect(warm.phases?.connect.count).toBe(0);
      expect(warm.phases?.tls.count).toBe(0);
      expect(warm.certificate?.subject).toBe('loopback');
    } finally {
      await pool.close();
    }
  });

  it('reads nothing when phases are off', async () => {
    const upstream = await upstreamOver('tls');

    const aggregate = await sweepOf(upstream.urlTemplate, { phases: false });

    expect(aggregate.phases).toBeUndefined();
    expect(aggregate.certificate).toBeUndefined();
    expect(aggregate.statuses).toEqual({ '200': IDS });
  });
});

function sweepOptions(urlTemplate: string) {
  return {
    range: { start: 1, end: IDS },
    urlTemplate,
    concurrency: CONCURRENCY,
    timeoutMs: 10_000,
    retries: 0,
  };
}
