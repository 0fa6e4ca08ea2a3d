import { describe, expect, it } from 'vitest';
import { isMuted, parseCron } from '../../lambda/ground/mute.js';

const SUNDAY_NIGHT = { cron: '0 2 ? * SUN *', minutes: 120, timeZone: 'Europe/Paris' };

describe('mute windows', () => {
  it('covers two hours from 02:00 Paris time each Sunday, summer time included', () => {
    // Sunday 2026-07-05 02:00 in Paris is 00:00 UTC (CEST, UTC+2).
    expect(isMuted([SUNDAY_NIGHT], Date.parse('2026-07-04T23:59:00Z'))).toBe(false);
    expect(isMuted([SUNDAY_NIGHT], Date.parse('2026-07-05T00:00:00Z'))).toBe(true);
    expect(isMuted([SUNDAY_NIGHT], Date.parse('2026-07-05T01:59:30Z'))).toBe(true);
    expect(isMuted([SUNDAY_NIGHT], Date.parse('2026-07-05T02:00:00Z'))).toBe(false);
    // In winter (CET, UTC+1) the same window is 01:00-03:00 UTC.
    expect(isMuted([SUNDAY_NIGHT], Date.parse('2026-12-06T00:30:00Z'))).toBe(false);
    expect(isMuted([SUNDAY_NIGHT], Date.parse('2026-12-06T02:30:00Z'))).toBe(true);
    // A Monday at the same hour is not muted.
    expect(isMuted([SUNDAY_NIGHT], Date.parse('2026-07-06T00:30:00Z'))).toBe(false);
  });

  it('reads lists, ranges, steps and names as EventBridge does, and refuses what it cannot read', () => {
    const weekdays = { cron: '*/30 9-17 ? * MON-FRI *', minutes: 1 };
    expect(isMuted([weekdays], Date.parse('2026-12-02T09:30:10Z'))).toBe(true); // a Wednesday
    expect(isMuted([weekdays], Date.parse('2026-12-02T09:31:00Z'))).toBe(false);
    expect(parseCron('0 2 * * SUN *')).toBeUndefined(); // both day fields set
    expect(parseCron('0 2 ? * L *')).toBeUndefined();
    expect(parseCron('0 25 ? * * *')).toBeUndefined();
  });

  it('mutes nothing without windows', () => {
    expect(isMuted(undefined, Date.now())).toBe(false);
    expect(isMuted([], Date.now())).toBe(false);
  });
});
