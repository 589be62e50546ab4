// The debug view's words, pure (test/debug/format.test.ts): identifiers masked, one short line per fact.
import { BASE, CAP, retryable } from '../backoff';

/** `jane@example.com` → `j•••@example.com`. */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  return at > 0 ? email[0] + '•••' + email.slice(at) : '•••';
};

/** A phone number or another identifier: its last two characters only. */
export const maskTail = (value: string): string => '•••' + String(value).slice(-2);

/** A profile's identifiers, masked: `j•••@example.com, phone •••23`; `anonymous` without any. */
export function maskIds(ids: Record<string, any> = {}): string {
  const out: string[] = [];
  if (typeof ids.email == 'string') out.push(maskEmail(ids.email));
  if (typeof ids.phone_number == 'string') out.push('phone ' + maskTail(ids.phone_number));
  if (typeof ids.external_id == 'string') out.push('id ' + maskTail(ids.external_id));
  if (ids._kx) out.push('email link');
  return out.join(', ') || 'anonymous';
}

/** A call as a person reads it: `track "Viewed Product"`, `identify j•••@example.com`, `profile update ($viewed_items)`. Never its property values. */
export function callLabel(kind: 'e' | 'p', metric: string | undefined, attributes: Record<string, any> = {}): string {
  if (kind == 'e') return 'track "' + metric + '"';
  const who = maskIds(attributes);
  if (who != 'anonymous') return 'identify ' + who;
  return 'profile update (' + Object.keys(attributes.properties || attributes).join(', ') + ')';
}

/** A value on one short line. */
export const short = (value: unknown): string => {
  const text = typeof value == 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? text.slice(0, 59) + '…' : text;
};

/** What klite does after a request's answer, as klite decides it (delivery.ts, backoff.ts). */
export function outcome(status: number, detail: string | undefined, calls: number): { state: string; line: string } {
  if (status > 199 && status < 300) return { state: 'acknowledged', line: status + ' accepted' };
  if (retryable(status)) {
    const why = status ? String(status) : 'no answer (offline, blocked or timed out)';
    return { state: 'kept, will retry', line: why + ': kept, retried with back-off' + (status == 429 ? ' (Retry-After at least)' : '') };
  }
  const reason = detail ? ': ' + detail : '';
  return calls > 1
    ? { state: 'refused with its batch, resent alone', line: status + ' refused' + reason + ': resent call by call' }
    : { state: 'refused' + reason + ' (dropped)', line: status + ' refused' + reason };
}

/** The next send after a failure, from the pause klite tells its tabs (delivery.ts `pause`). */
export const retryLine = (at: number, now: number): string =>
  'klite retry: next send in ' +
  (Math.max(0, at - now) / 1000).toFixed(1) +
  ' s (back-off: up to ' +
  BASE / 1000 +
  ' s × 2 per failed pass, at most ' +
  CAP / 6e4 +
  ' min)';
