import type { AlarmAfter } from './alarm-after.js';
import { isMuted } from './mute.js';
import type { SweepRequest } from './options.js';

/** What a schedule's alarms need to know of one of its sweeps, single or distributed. */
export interface ScheduleWatch {
  /** A mute window covered the sweep when it started. */
  readonly muted?: true;
  /** The schedule has mute windows: its sweeps publish Muted. */
  readonly muteWindows?: true;
  /** How many of the schedule's recent sweeps must fail before it alarms. */
  readonly alarmAfter?: AlarmAfter;
}

/** The request's watch, judged at `startedAt` (epoch ms): the window the sweep was scheduled in. */
export function scheduleWatch(request: SweepRequest, startedAt: number): ScheduleWatch {
  return {
    ...(isMuted(request.mute, startedAt) && { muted: true }),
    ...((request.mute?.length ?? 0) > 0 && { muteWindows: true }),
    ...(request.alarmAfter !== undefined && { alarmAfter: request.alarmAfter }),
  };
}
