import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltCli, buildCli, ctrlCAfter } from '../support/cli.js';
import { behaviours, type FaultUpstream, startFaultUpstream } from '../support/fault-upstream.js';

let cli: BuiltCli;
/** Every id answers 200 after a second: a 50,000-id run is far from done when Ctrl-C comes. */
let slow: FaultUpstream;
beforeAll(async () => {
  cli = buildCli();
  slow = await startFaultUpstream(() => behaviours.ok(), { latencyMs: 1_000 });
});
afterAll(async () => {
  cli?.remove();
  await slow?.close();
});

describe('Ctrl-C on a local distributed run', () => {
  it('prints the partial summary of what finished, says the user stopped it, and exits 130', async () => {
    const { code, stdout, stderr } = await cli.run(
      ['--target', slow.urlTemplate, '--end', '50000'],
      {
        timeoutMs: 60_000,
        onStderr: ctrlCAfter('distributed:', 2_500),
      },
    );

    expect(code).toBe(130);
    expect(stderr).toMatch(/stopped by you \(Ctrl-C\)/);
    const [verdict] = stdout.split('\n');
    expect(verdict).toMatch(/^\w+ · \d+ expected, 0 unexpected$/);
    expect(stdout).toMatch(/INCOMPLETE \(stopped by you \(Ctrl-C\)\)/);
    expect(stdout).toMatch(/200\s+×\d+/);
    expect(stdout).toMatch(/not tried\s+\d{5}/);
    expect(stdout).not.toMatch(/aborted|deadline/);
  });
});
