import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cdnUrl, problem, snippet } from '../../src/cli/snippet';

const STUB = '!function(w,d,s){/*…*/}(window,document,"https://cdn.example.com/klite.js?company_id=PUBLIC_KEY");';
/** The script URL the block's stub loads. */
const srcOf = (block: string) => JSON.parse(block.match(/\(window,document,("[^"]*")\)/)![1].replace(/\\u003c/g, '<'));

describe('klite snippet', () => {
  it('loads this version from the CDN by default, with the key in the URL klite reads', () => {
    const block = snippet({ companyId: 'AbC123' }, STUB, '1.2.3');
    expect(block).toMatch(/^<!-- klite 1\.2\.3: Klaviyo tracking\. Options: .* -->\n<script>!function/);
    expect(block.trim()).toMatch(/<\/script>$/);
    expect(srcOf(block)).toBe(cdnUrl('1.2.3') + '?company_id=AbC123');
  });

  it('carries consent, endpoint and captures as klite.js query options, on any src', () => {
    const block = snippet(
      { companyId: 'AbC123', consent: 'pending', endpoint: '/kl', noCapture: 'cart,forms', src: 'https://shop.example/kl/klite.js?v=2' },
      STUB,
      '1.2.3',
    );
    const url = new URL(srcOf(block));
    expect(url.origin + url.pathname).toBe('https://shop.example/kl/klite.js');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      v: '2',
      company_id: 'AbC123',
      consent: 'pending',
      endpoint: '/kl',
      no_capture: 'cart,forms',
    });
  });

  it('cannot be made to close its <script> early', () => {
    const block = snippet({ companyId: 'AbC123', src: 'https://x.example/</script><script>alert(1)//klite.js' }, STUB, '1');
    expect(block.match(/<\/script>/g)).toHaveLength(1);
  });

  it('refuses a private key, a malformed key and an unknown consent state, saying why', () => {
    expect(problem({ companyId: 'pk_abc' })).toMatch(/private API key.*rotate/i);
    expect(problem({ companyId: 'abc' })).toMatch(/6 letters or digits/);
    expect(problem({ companyId: 'AbC123', consent: 'maybe' })).toMatch(/granted, pending or denied/);
    expect(problem({ companyId: 'AbC123', consent: 'pending' })).toBe('');
  });

  it('the built command prints the block with the built stub, and fails with the usage on bad input', () => {
    const cli = new URL('../../dist/klite-cli.mjs', import.meta.url).pathname;
    const ok = spawnSync(process.execPath, [cli, 'snippet', '--company-id', 'AbC123', '--consent', 'pending']);
    expect(ok.status).toBe(0);
    const stub = readFileSync(new URL('../../dist/stub.min.js', import.meta.url), 'utf8').trim();
    const out = String(ok.stdout);
    expect(out).toContain(stub.slice(0, stub.indexOf('"https://cdn.example.com')));
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(srcOf(out)).toBe(cdnUrl(version) + '?company_id=AbC123&consent=pending');
    const bad = spawnSync(process.execPath, [cli, 'snippet', '--company-id', 'pk_live_x']);
    expect(bad.status).toBe(1);
    expect(String(bad.stderr)).toMatch(/private API key[\s\S]*usage: klite snippet/);
    expect(spawnSync(process.execPath, [cli]).status).toBe(1);
  });
});
