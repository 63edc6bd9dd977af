import { describe, expect, it } from 'vitest';
import { localDay, localDayRange, previousLocalDay, startOfLocalDay } from './local-day-range';

describe('localDayRange', () => {
  it('gives the midnights of the viewer’s time zone, the end exclusive', () => {
    expect(localDayRange('2026-03-02', '2026-03-02', 'Europe/Moscow')).toEqual({
      from: new Date('2026-03-01T21:00:00Z'),
      to: new Date('2026-03-02T21:00:00Z'),
    });
    expect(localDayRange(undefined, '2026-01-31', 'UTC')).toEqual({ to: new Date('2026-02-01T00:00:00Z') });
    expect(localDayRange(undefined, undefined, 'UTC')).toEqual({});
  });

  it('covers a 23-hour day exactly (daylight saving starts)', () => {
    // Berlin moved its clocks from 02:00 to 03:00 on 29 March 2026.
    const { from, to } = localDayRange('2026-03-29', '2026-03-29', 'Europe/Berlin');
    expect(from).toEqual(new Date('2026-03-28T23:00:00Z'));
    expect(to).toEqual(new Date('2026-03-29T22:00:00Z'));
  });

  it('covers a 25-hour day exactly (daylight saving ends)', () => {
    // New York moved its clocks from 02:00 back to 01:00 on 1 November 2026.
    expect(localDayRange('2026-11-01', '2026-11-01', 'America/New_York')).toEqual({
      from: new Date('2026-11-01T04:00:00Z'),
      to: new Date('2026-11-02T05:00:00Z'),
    });
  });
});

describe('startOfLocalDay', () => {
  it('finds the midnight of the day an instant falls on, read at the midnight itself', () => {
    // 1 November 2026, 15:00 in New York (EST, −05:00); its midnight was still EDT (−04:00).
    expect(startOfLocalDay(new Date('2026-11-01T20:00:00Z'), 'America/New_York')).toEqual(
      new Date('2026-11-01T04:00:00Z'),
    );
    // Late evening in Moscow is already the next day there.
    expect(startOfLocalDay(new Date('2026-03-01T22:30:00Z'), 'Europe/Moscow')).toEqual(
      new Date('2026-03-01T21:00:00Z'),
    );
    expect(() => startOfLocalDay(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('previousLocalDay', () => {
  it('is the day before now’s local day, so the same instant gives different days by zone', () => {
    const now = new Date('2026-11-30T02:30:00Z');
    // Tokyo: 11:30 on the 30th, yesterday the 29th. Los Angeles: 18:30 on the 29th, yesterday the 28th.
    expect(previousLocalDay(now, 'Asia/Tokyo')).toEqual({
      day: '2026-11-29',
      start: new Date('2026-11-28T15:00:00Z'),
      end: new Date('2026-11-29T15:00:00Z'),
    });
    expect(previousLocalDay(now, 'America/Los_Angeles').day).toBe('2026-11-28');
    expect(previousLocalDay(now, 'UTC').day).toBe('2026-11-29');
  });

  it('spans 25 hours across the end of daylight saving', () => {
    const { start, end } = previousLocalDay(new Date('2026-11-02T12:00:00Z'), 'America/New_York');
    expect(end.getTime() - start.getTime()).toBe(25 * 3_600_000);
    expect(localDay('2026-11-01', 'America/New_York')).toEqual({ day: '2026-11-01', start, end });
  });
});
