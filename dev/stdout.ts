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
