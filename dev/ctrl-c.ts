import { ExitCode } from './cli-flags.js';
import { Via } from './local-sweep.js';

/**
 * Ctrl-C aborts the sweep through its signal: what finished is summarised, then exit 130. A
 * second Ctrl-C, or one during a local distributed run (its shards take no signal), exits at once.
 */
export function ctrlC(via: Via): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted || via === Via.distributed) process.exit(ExitCode.interrupted);
    process.stderr.write('\ninterrupted: summarising what finished (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
