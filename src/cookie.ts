import { guard } from './guard';

/** Read a cookie's raw value ('' when absent or when cookies are unavailable). */
export function readCookie(name: string): string {
  return guard(() => document.cookie.match('(?:^|;) ?' + name + '=([^;]*)')?.[1]) ?? '';
}

/** Two years, as klaviyo.js; SameSite=Lax and Secure on https, which klaviyo.js leaves out. */
export function writeCookie(name: string, value: string, domain?: string, maxAge = 63072000): void {
  guard(() => {
    document.cookie =
      name +
      '=' +
      value +
      ';path=/;max-age=' +
      maxAge +
      ';SameSite=Lax' +
      (domain ? ';domain=' + domain : '') +
      (location.protocol == 'https:' ? ';Secure' : '');
  });
}
