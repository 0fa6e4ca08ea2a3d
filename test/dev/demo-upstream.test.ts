import { describe, expect, it } from 'vitest';
import { DEMO_MAX_ID, startDemoUpstream } from '../../dev/demo-upstream.js';

describe('the demo upstream', () => {
  it('answers PokéAPI-shaped: a small JSON body up to id 1025, 404 beyond and elsewhere', async () => {
    const upstream = await startDemoUpstream({ latencyMs: 0 });
    try {
      const ok = await fetch(upstream.urlTemplate.replace('{id}', '25'));
      const beyond = await fetch(upstream.urlTemplate.replace('{id}', String(DEMO_MAX_ID + 1)));
      const elsewhere = await fetch(`${upstream.url}/api/v2/berry/1/`);

      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ id: 25, name: 'pokemon-25' });
      expect(beyond.status).toBe(404);
      await beyond.arrayBuffer();
      expect(elsewhere.status).toBe(404);
      await elsewhere.arrayBuffer();
      expect(upstream.requests()).toBe(3);
    } finally {
      await upstream.close();
    }
  });

  it('answers 503 to every request at a fault rate of 1', async () => {
    const upstream = await startDemoUpstream({ latencyMs: 0, faultRate: 1 });
    try {
      const res = await fetch(upstream.urlTemplate.replace('{id}', '1'));

      expect(res.status).toBe(503);
      await res.arrayBuffer();
    } finally {
      await upstream.close();
    }
  });

  it('resets the connection at a reset rate of 1', async () => {
    const upstream = await startDemoUpstream({ latencyMs: 0, resetRate: 1 });
    try {
      await expect(fetch(upstream.urlTemplate.replace('{id}', '1'))).rejects.toThrow();
    } finally {
      await upstream.close();
    }
  });

  it('closes while requests are still waiting on their latency', async () => {
    const upstream = await startDemoUpstream({ latencyMs: 60_000 });
    const pending = fetch(upstream.urlTemplate.replace('{id}', '1')).catch(() => 'closed');
    while (upstream.requests() === 0) await new Promise((r) => setTimeout(r, 10));

    await upstream.close();

    expect(await pending).toBe('closed');
  });
});
