/**
 * `Retry-After` as milliseconds from now: delay-seconds (fractions allowed) or an HTTP date;
 * anything unusable → undefined. A date in the past reads as 0.
 */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  // HTTP dates always name a month; this keeps Date.parse's leniency ('-5' is a year) out.
  const date = /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
