import type { Baseline } from '../lambda/baseline/baseline.js';
import type { SweepResponse } from '../lambda/contract/response.js';
import { renderIdMapPage } from '../lambda/idmap/index.js';
import { compareWithBaseline, saveResponse } from './baseline.js';
import type { CliOptions } from './cli-args.js';
import { ExitCode, Format } from './cli-flags.js';
import { formatJunit, formatMarkdown } from './reports.js';
import { formatSummary, type SummaryExtras } from './summary.js';

/** How every sweep ends in the CLI, local or deployed: compared, saved, printed, an exit code. */

/** One line on stderr, for people. */
export const say = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/** A finished (or interrupted) sweep, and what the CLI knows beyond its response. */
export interface Finished {
  readonly response: SweepResponse;
  readonly extras: SummaryExtras;
  /** Ctrl-C stopped it: exit 130 whatever the verdict. */
  readonly interrupted: boolean;
}

/** Writes the result where it belongs and answers the exit code. */
export async function finish(
  cli: CliOptions,
  baseline: Baseline | undefined,
  { response: raw, extras, interrupted }: Finished,
  writeResult: (text: string) => void,
): Promise<number> {
  const response = compareWithBaseline(raw, baseline);
  await saveResponse(cli.flags.save, response);
  writeResult(render(cli, response, extras));
  if (interrupted) return ExitCode.interrupted;
  const { verdict } = response;
  const fails = verdict === 'failed' || (verdict === 'degraded' && cli.failOn === 'degraded');
  return fails ? ExitCode.failed : ExitCode.ok;
}

function render(cli: CliOptions, response: SweepResponse, extras: SummaryExtras): string {
  switch (cli.format) {
    case Format.json:
      return `${JSON.stringify(response)}\n`;
    case Format.junit:
      return formatJunit(response, cli.expect);
    case Format.markdown:
      return formatMarkdown(response);
    case Format.html:
      return renderIdMapPage(response);
    default:
      return formatSummary(response, extras);
  }
}
