/** The API revision klite's bodies are written for, pinned here and nowhere else. */
export const REVISION = '2026-07-15';
/** A request that has not answered by then is abandoned and retried. */
export const TIMEOUT = 15000;

/**
 * HTTP status, or 0 when the request did not complete (offline, refused, timed out); the
 * Retry-After header; the first JSON:API error's `detail`, for the console.
 */
export type Outcome = [status: number, retryAfter?: string | null, detail?: string];

/**
 * POSTs one JSON:API body to Klaviyo's client API; never rejects. `keepalive` lets the request
 * outlive the page (browsers cap those bodies at 64 KB in flight). `account`: the company id,
 * and in first-party mode the batch (`KEY&batch=ID`).
 */
export async function post(endpoint: string, path: string, account: string, body: string, keepalive?: boolean): Promise<Outcome> {
  try {
    const res = await fetch(endpoint + path + '?company_id=' + account, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.api+json', revision: REVISION },
      body,
      keepalive,
      signal: AbortSignal.timeout(TIMEOUT),
    });
    return [
      res.status,
      res.headers.get('retry-after'),
      // Read only on a refusal: a success's body is empty, and the console line says Klaviyo's words, not a parser's.
      res.ok
        ? ''
        : await res.json().then(
            (j) => j.errors[0].detail,
            () => '',
          ),
    ];
  } catch {
    return [0];
  }
}
