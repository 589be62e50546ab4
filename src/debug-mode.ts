import { guard } from './guard';
import type { Klaviyo } from './types';
import { load } from './webstore';

export function debugMode(api: Klaviyo): void {
  const src = (document.currentScript as HTMLScriptElement)?.src;
  const debug = ((api as any).debug = (on?: unknown) =>
    guard(() => {
      const s = document.createElement('script');
      s.src = new URL('klite-debug.js#' + on, src) as any;
      document.head.append(s);
    }));
  if (location.search.includes('klite_debug') || load('klite_debug', true)) debug();
}
