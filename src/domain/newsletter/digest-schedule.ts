/** When a list's digest goes out: a local time of day in the site's time zone. */

/** Minutes the zone is ahead of UTC at `instant` (Paris in winter: 60). */
function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The calendar date (y, m, d) that `instant` falls on in the zone. */
function localDate(instant: Date, timeZone: string): [number, number, number] {
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(instant, timeZone) * 60_000);
  return [shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()];
}

/** The instant a local wall-clock time happens in the zone (the later one when a clock change repeats it). */
function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month, day, hour, minute);
  let guess = wall - zoneOffsetMinutes(new Date(wall), timeZone) * 60_000;
  // Once more with the offset in force at the guess: right across a daylight-saving change.
  guess = wall - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
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
