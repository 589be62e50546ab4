/** The first retry waits up to 2 s; each failure doubles that, up to CAP. */
export const BASE = 2000;
/** A failing profile is retried at least every 5 minutes. */
export const CAP = 3e5;

/**
 * Exponential back-off with full jitter (a random wait between 0 and the capped exponential),
 * so browsers recovering from one outage do not retry in lock-step.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export const backoff = (failures: number): number => Math.random() * Math.min(CAP, BASE * 2 ** failures);

/** `Retry-After` → milliseconds to wait, at most a day. Klaviyo sends seconds; an HTTP date also works. */
export function retryAfter(header: string | null | undefined, now: number): number {
  // Absent or unreadable: NaN, so no wait.
  const ms = +header! * 1000 || Date.parse(header!) - now;
  return ms > 0 ? Math.min(ms, 864e5) : 0;
}

/** Network failures (status 0), 408, 429 and 5xx are worth another try; other 4xx never succeed. */
export const retryable = (status: number): boolean => !status || status == 408 || status == 429 || status > 499;
