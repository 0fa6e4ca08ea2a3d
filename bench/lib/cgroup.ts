import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Memory at which a Lambda function gets one full vCPU; below it, CPU is proportional.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 */
export const LAMBDA_MB_PER_VCPU = 1_769;
/** The CFS period the quota is a share of. */
const PERIOD_US = 100_000;

/** A child cgroup whose processes share `cpus` CPUs at most (CFS quota). */
export interface CpuQuota {
  readonly kind: 'cgroup v2 cpu.max' | 'cgroup v1 cpu.cfs_quota_us';
  readonly cpus: number;
  /** Moves a running process into the cgroup. */
  add(pid: number): void;
  /** Removes the cgroup (its processes must have exited). */
  remove(): void;
}

/**
 * A CPU quota in a fresh child cgroup, v2 (cpu.max) or v1 (cpu.cfs_quota_us), where this process
 * may create one (root on a writable cgroup fs); otherwise the reason it could not.
 */
export function cpuQuota(cpus: number): CpuQuota | string {
  const name = `status-sweep-bench-${process.pid}`;
  const quota = Math.round(cpus * PERIOD_US);
  const attempts = [
    {
      kind: 'cgroup v2 cpu.max' as const,
      root: '/sys/fs/cgroup',
      usable: () => readFileSync('/sys/fs/cgroup/cgroup.subtree_control', 'utf8').includes('cpu'),
      limit: (dir: string) => writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`),
    },
    {
      kind: 'cgroup v1 cpu.cfs_quota_us' as const,
      root: '/sys/fs/cgroup/cpu',
      usable: () => existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'),
      limit: (dir: string) => {
        writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
        writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
      },
    },
  ];
  const reasons: string[] = [];
  for (const a of attempts) {
    try {
      if (!a.usable()) throw new Error('no cpu controller');
      const dir = join(a.root, name);
      mkdirSync(dir);
      try {
        a.limit(dir);
      } catch (error) {
        rmdirSync(dir);
        throw error;
      }
      return {
        kind: a.kind,
        cpus,
        add: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
        remove: () => rmdirSync(dir),
      };
    } catch (error) {
      reasons.push(`${a.kind}: ${(error as Error).message}`);
    }
  }
  return reasons.join('; ');
}
