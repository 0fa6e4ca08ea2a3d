import { describe, expect, it } from 'vitest';
import { BUNDLES } from '../../infra/bundle-budget.js';
import { bundleContents, importChain } from './support/bundle.js';

const isUndici = (path: string) => path.includes('node_modules/undici/');

describe.each(Object.entries(BUNDLES))('the %s function bundle', (_name, bundle) => {
  it(`stays within its budget (${bundle.budgetBytes.toLocaleString('en')} bytes)`, async () => {
    const { bytes } = await bundleContents(bundle.entry);

    expect(bytes).toBeLessThanOrEqual(bundle.budgetBytes);
  });

  if (bundle.fetches) {
    it('carries undici, the engine it fetches with (so the check below can see it)', async () => {
      const { inputs } = await bundleContents(bundle.entry);

      expect(Object.keys(inputs).filter(isUndici).length).toBeGreaterThan(0);
    });

    it('parses with llhttp and leaves out Milo, the parser undici loads only when asked to', async () => {
      const { inputs } = await bundleContents(bundle.entry);
      const undici = Object.keys(inputs).filter(isUndici);

      expect(undici.filter((path) => path.includes('/lib/llhttp/')).length).toBeGreaterThan(0);
      expect(undici.filter((path) => path.includes('/lib/milo/'))).toEqual([]);
    });
  } else {
    it('carries no undici: it never fetches, and nothing it imports reaches the engine', async () => {
      const { metafile } = await bundleContents(bundle.entry);

      // The chain names the import that let undici in, entry first.
      expect(importChain(metafile, bundle.entry, isUndici)).toBeUndefined();
    });
  }
});
