/**
 * Wall-clock time in a time zone, with `Intl` alone. A wall-clock time is carried as the UTC
 * timestamp of the same figures ("2026-05-01T09:30" in Paris → Date.UTC(2026, 4, 1, 9, 30)).
 */

/** What the clocks of `timeZone` show at `instant`, to the second, as the UTC timestamp of those figures. */
export function wallClock(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** How far the zone's clocks are ahead of UTC at `instant`, in milliseconds (Paris in winter: 3,600,000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks show `wall`. Computed twice: the first guess may sit on the
 * other side of a daylight-saving change.
 */
export function instantOfWallClock(wall: number, timeZone: string): Date {
  const guess = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(guess, timeZone));
}
