/** When a list's digest goes out: a local time of day in the site's time zone. */
import { instantOfWallClock, wallClock } from '../time-zone.js';

/** The calendar date (y, m, d) that `instant` falls on in the zone. */
function localDate(instant: Date, timeZone: string): [number, number, number] {
  const shifted = new Date(wallClock(instant.getTime(), timeZone));
  return [shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()];
}

/** The instant a local wall-clock time happens in the zone (the later one when a clock change repeats it). */
function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  return instantOfWallClock(Date.UTC(year, month, day, hour, minute), timeZone);
}

/** The first time after `now` that the zone's clocks show `time` ("07:00"). */
export function nextDigestTime(now: Date, time: string, timeZone: string): Date {
  const [hour = 7, minute = 0] = time.split(':').map(Number);
  const [year, month, day] = localDate(now, timeZone);
  for (let offset = 0; offset < 3; offset++) {
    const candidate = zonedTime(year, month, day + offset, hour, minute, timeZone);
    if (candidate.getTime() > now.getTime()) return candidate;
  }
  return zonedTime(year, month, day + 1, hour, minute, timeZone);
}
