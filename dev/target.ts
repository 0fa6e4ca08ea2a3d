import {
  DEMO_LATENCY_MS,
  type DemoUpstream,
  demoFaultsFrom,
  startDemoUpstream,
} from './demo-upstream.js';

/** What a local sweep targets, and how to say so. */
export interface LocalTarget {
  readonly urlTemplate: string;
  /** One line for people: where the ids are fetched from. */
  readonly description: string;
  readonly demo?: DemoUpstream;
  close(): Promise<void>;
}

/**
 * The --target flag, else TARGET_URL_TEMPLATE from the environment, else the built-in demo
 * upstream started on loopback (so a fresh clone never sends traffic anywhere by surprise).
 */
export async function resolveTarget(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LocalTarget> {
  const given = flag ?? env.TARGET_URL_TEMPLATE;
  if (given !== undefined) {
    return { urlTemplate: given, description: given, close: async () => undefined };
  }
  // Every id after exactly DEMO_LATENCY_MS, as in the demonstration this reproduces (100 ids at
  // 400 ms): the speed-up it prints is then the headline's, not the spread of a random delay.
  // DEMO_WRONG_IDS / DEMO_ERROR_IDS make it serve wrong records for a range (body checks).
  const demo = await startDemoUpstream({ jitter: 0, ...demoFaultsFrom(env) });
  return {
    urlTemplate: demo.urlTemplate,
    description: `the built-in demo upstream at ${demo.url} (${DEMO_LATENCY_MS} ms per id; --target for yours)`,
    demo,
    close: () => demo.close(),
  };
}
