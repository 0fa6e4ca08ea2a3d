/**
 * The CLI's stdout carries its result and nothing else (`--json | jq` always gets one document):
 * once claimed, anything else written to process.stdout (EMF lines of a metrics fallback, log
 * lines, a dependency's console.log) goes to stderr instead. Returns the writer of the result.
 */
export function claimStdout(): (text: string) => void {
  const stdout = process.stdout;
  const writeResult = stdout.write.bind(stdout);
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  return (text) => {
    writeResult(text);
  };
}

/**
 * Holds what is written to stderr from `start()` until `release()`: the local metrics block,
 * printed as the sweep concludes, then follows the summary, so a terminal shows the verdict first.
 */
export function holdStderr(): { start(): void; release(): void } {
  const stderr = process.stderr;
  const write = stderr.write;
  let held: string[] | undefined;
  return {
    start: () => {
      if (held) return;
      held = [];
      const buffer = held;
      stderr.write = ((chunk: string | Uint8Array) => {
        buffer.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
        return true;
      }) as typeof stderr.write;
    },
    release: () => {
      if (!held) return;
      stderr.write = write;
      if (held.length > 0) stderr.write('\n'); // apart from the summary
      for (const text of held) stderr.write(text);
      held = undefined;
    },
  };
}
