/** Sweeps shorter than this finish before a progress line would help. */
export const PROGRESS_AFTER_MS = 1_000;

export interface ProgressLine {
  readonly update: (settled: number, total: number) => void;
  /** Erases the line, if one was drawn; idempotent. */
  readonly clear: () => void;
}

/**
 * True when stderr is a terminal, or FORCE_TTY is set (tests, and `script`-less CI logs that
 * want the line): NO_COLOR-style, any non-empty value but "0".
 */
export function wantsProgress(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const forced = env.FORCE_TTY;
  if (forced !== undefined && forced !== '') return forced !== '0';
  return stream.isTTY === true;
}

/** A one-line progress display on stderr, shown only once a sweep has run for a second. */
export function progressLine(
  enabled: boolean,
  write: (text: string) => void = (text) => process.stderr.write(text),
): ProgressLine {
  const startedAt = Date.now();
  let shown = false;
  return {
    update: (settled, total) => {
      const elapsed = Date.now() - startedAt;
      if (!enabled || elapsed < PROGRESS_AFTER_MS) return;
      shown = true;
      const pct = Math.floor((settled / total) * 100);
      write(`\r\x1b[2K  ${settled}/${total} ids (${pct}%) · ${(elapsed / 1000).toFixed(1)} s`);
    },
    clear: () => {
      if (!shown) return;
      shown = false;
      write('\r\x1b[2K');
    },
  };
}
