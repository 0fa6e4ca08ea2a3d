import { vi } from 'vitest';

/**
 * Points the real SDK at a loopback stand-in: `AWS_ENDPOINT_URL_<SERVICE>` (e.g. `EVENTBRIDGE`),
 * a region and static loopback credentials, with nothing of the machine's own (no session token,
 * no profile). Undo with vi.unstubAllEnvs().
 */
export function stubLoopbackAws(service: string, url: string): void {
  vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, url);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLOOPBACK');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'loopback-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
}
