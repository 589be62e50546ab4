// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { activityProperties, MAX_PARAMS } from '../../src/capture/activity';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';

describe('activityProperties', () => {
  it("sends klaviyo.js's Active on Site properties", () => {
    const url = new URL(
      'https://shop.example/products/boot?utm_source=mail&utm_campaign=fall&color=red&utm_email=a%40b.co&_kx=tok.AbC123#reviews',
    );
    expect(activityProperties(url, '/landing', 'https://google.com/search?q=boot', CHROME)).toEqual({
      page: url.href,
      browser: 'Chrome',
      os: 'Linux',
      initial_page_path: '/landing',
      kx_present: true,
      fragment: 'reviews',
      referrer: 'https://google.com/search?q=boot',
      utm_source: 'mail',
      utm_campaign: 'fall',
      color: 'red',
    });
  });
  it('tells browsers apart whose user agents name several', () => {
    expect(activityProperties(new URL('https://s.example/'), '/', '', EDGE)).toMatchObject({ browser: 'Edge', os: 'Windows' });
    expect(activityProperties(new URL('https://s.example/'), '/', '', IPHONE)).toMatchObject({ browser: 'Safari', os: 'iOS' });
  });
  it('leaves out a referrer on the same site, and query parameters past the tenth (utm_* always kept)', () => {
    const params = Array.from({ length: 15 }, (_, i) => `p${i}=${i}`).join('&');
    const p = activityProperties(new URL(`https://s.example/?${params}&utm_medium=email`), '/', 'https://s.example/cart', CHROME);
    expect(p.referrer).toBeUndefined();
    expect(Object.keys(p).filter((k) => /^p\d+$/.test(k))).toHaveLength(MAX_PARAMS);
    expect(p.utm_medium).toBe('email');
    expect(p.kx_present).toBe(false);
  });
});
