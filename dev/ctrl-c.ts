import { ExitCode } from './cli-flags.js';

/**
 * Ctrl-C aborts the sweep through its signal, single or distributed (every shard hears it): the
 * ids in flight stay not attempted, what finished is summarised, then exit 130. A second Ctrl-C
 * exits at once.
 */
export function ctrlC(): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    process.stderr.write(
      '\nstopped by you (Ctrl-C): summarising what finished; again to quit now\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
