import { afterEach, beforeAll } from 'vitest';
import { closePools, setTestTlsOptions } from '../../lambda/sweep/dispatcher.js';
import { type TestCertificates, testCertificates } from './certificates.js';
import type { FaultUpstream } from './fault-upstream.js';

export interface LoopbackEngine {
  /** The test certificates; the engine trusts their CA for the whole file. */
  certs(): TestCertificates;
  /** Closes `upstream` (and every pool) after the current test. */
  closeAfter(upstream: FaultUpstream): FaultUpstream;
}

/** Hooks for a test file that sweeps loopback upstreams, TLS ones included. */
export function useLoopbackEngine(): LoopbackEngine {
  let certs: TestCertificates | undefined;
  const open = new Set<FaultUpstream>();
  beforeAll(async () => {
    certs = await testCertificates();
    setTestTlsOptions({ ca: certs.ca });
    return () => setTestTlsOptions(undefined);
  });
  afterEach(async () => {
    await closePools();
    await Promise.all([...open].map((u) => u.close()));
    open.clear();
  });
  return {
    certs: () => certs as TestCertificates,
    closeAfter: (upstream) => {
      open.add(upstream);
      return upstream;
    },
  };
}
