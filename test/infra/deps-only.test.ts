import { describe, expect, it } from 'vitest';
import { BUNDLES } from '../../infra/bundle-budget.js';
import { bundleContents } from './support/bundle.js';

/** The cold-start bench's reference: the sweep function's dependencies without our code. */
const DEPS_ONLY = 'bench/cold/deps-only.ts';

/** The npm packages a bundle holds code of (scope and name), sorted. */
async function packagesIn(entry: string): Promise<string[]> {
  const { inputs } = await bundleContents(entry);
  const names = new Set<string>();
  for (const path of Object.keys(inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    if (name !== undefined) names.add(name);
  }
  return [...names].sort();
}

describe("the cold-start bench's deps-only handler", () => {
  it('holds exactly the packages the sweep function bundle holds', async () => {
    const [sweep, depsOnly] = await Promise.all([
      packagesIn(BUNDLES.sweep.entry),
      packagesIn(DEPS_ONLY),
    ]);

    expect(depsOnly).toEqual(sweep);
  }, 120_000);
});
