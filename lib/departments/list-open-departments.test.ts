import { describe, expect, it } from 'vitest';
import { isOpenAt } from './list-open-departments';

describe('isOpenAt', () => {
  const hours = { timeZone: 'Europe/Berlin', days: [{ day: 1, from: '09:00', to: '18:00' }] };
  it('is open inside the hours in the department time zone', () => {
    // Monday 2026-11-23 08:30 UTC = 09:30 in Berlin
    expect(isOpenAt(hours, new Date('2026-11-23T08:30:00Z'))).toBe(true);
    // Monday 07:30 UTC = 08:30 Berlin: before opening
    expect(isOpenAt(hours, new Date('2026-11-23T07:30:00Z'))).toBe(false);
    // Tuesday: no hours
    expect(isOpenAt(hours, new Date('2026-11-24T10:00:00Z'))).toBe(false);
  });
  it('treats no hours as always open', () => {
    expect(isOpenAt(null, new Date())).toBe(true);
  });
});
