import { describe, expect, it } from 'vitest';

import { formatInZone } from '../src/details/format';

describe('formatInZone', () => {
  it('reads a UTC instant in the schedule zone, 24-hour ISO with the weekday', () => {
    expect(formatInZone('2026-12-07T05:00:00Z', 'Europe/Paris')).toBe('Mon 2026-12-07 06:00 (Europe/Paris)');
    expect(formatInZone('2026-07-06T04:00:00+00:00', 'Europe/Paris')).toBe('Mon 2026-07-06 06:00 (Europe/Paris)');
    expect(formatInZone('2026-12-07T23:30:00Z', 'UTC')).toBe('Mon 2026-12-07 23:30 (UTC)');
    expect(formatInZone('2026-12-07T05:00:00Z', 'Europe/Paris', false)).toBe('Mon 2026-12-07 06:00');
  });

  it('falls back to UTC for an unknown zone and says so; a dash for nothing', () => {
    expect(formatInZone('2026-12-07T05:00:00Z', 'Mars/Olympus')).toBe('Mon 2026-12-07 05:00 (UTC)');
    expect(formatInZone('2026-12-07T05:00:00Z', 'Mars/Olympus', false)).toBe('Mon 2026-12-07 05:00 (UTC)');
    expect(formatInZone(null, 'UTC')).toBe('—');
    expect(formatInZone('not a date', 'UTC')).toBe('not a date');
  });
});
