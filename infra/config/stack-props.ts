import type { SweepScheduleSpec } from '../constructs/sweep-schedules.js';
import type { SweepStackProps } from '../sweep-stack.js';
import type { ScheduleConfig, StatusSweepConfig } from './schema.js';

/** The stack's props from a validated config file: each key is already the prop's name. */
export function stackPropsFromConfig(config: StatusSweepConfig): SweepStackProps {
  const [first, ...others] = config.targets;
  return {
    function: {
      ...config.function,
      ...(first && {
        targetName: first.name,
        targetUrlTemplate: first.urlTemplate,
        targetMethod: first.method,
        targetHeadersSecret: first.headersSecret,
        expect: first.expect,
        verdictFailedBelowPercent: first.verdictFailedBelowPercent,
        verdictMaxP95Ms: first.verdictMaxP95Ms,
      }),
      ...(others.length > 0 && { additionalTargets: others }),
    },
    api: config.api,
    distributed: config.distributed,
    schedules: (config.schedules ?? []).map((s) => scheduleSpec(s, config)),
    alarms: config.alarms,
    ...(config.notify !== undefined && { notify: config.notify }),
  };
}

/** A schedule with its target's defaults under its own options (the schedule's win). */
function scheduleSpec(schedule: ScheduleConfig, config: StatusSweepConfig): SweepScheduleSpec {
  const target =
    config.targets.find((t) => t.name === schedule.target) ?? (config.targets[0] as never);
  const { target: name, options, ...rest } = schedule;
  const merged = { ...target?.defaults, ...options };
  return {
    ...rest,
    ...(Object.keys(merged).length > 0 && { options: merged }),
    ...(name !== undefined && { target: name }),
  };
}
