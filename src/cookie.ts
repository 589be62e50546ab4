import { guard } from './guard';

/** Read a cookie's raw value ('' when absent or when cookies are unavailable). */
export function readCookie(name: string): string {
  return guard(() => document.cookie.match('(?:^|;) ?' + name + '=([^;]*)')?.[1]) ?? '';
}

/**
 * Writes the visitor's `__kla_id` cookie, klite's only one: two years, as klaviyo.js; SameSite=Lax
 * and Secure on https, which klaviyo.js leaves out. An empty value removes it.
 */
export function writeCookie(value: string, domain?: string): void {
  guard(() => {
    document.cookie =
      '__kla_id=' +
      value +
      ';path=/;max-age=' +
      (value ? 63072000 : 0) +
      ';SameSite=Lax' +
      (domain ? ';domain=' + domain : '') +
      (location.protocol == 'https:' ? ';Secure' : '');
  });
}
