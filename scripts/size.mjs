// Prints the bytes merchants download and fails when a budget is exceeded.
// dist/klite.js (everything): 10,240 bytes gzip, the ceiling decided in issue 15 (the old
// 4,096 / 6,144 targets are retired); every feature pays for its bytes under it.
// dist/klite.core.js (no auto-capture): a ceiling just above its size, so it cannot grow unnoticed.
// The stub: 700 bytes minified.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const budgets = [
  { file: 'dist/klite.js', gzip: Number(process.env.KLITE_GZIP_BUDGET || 10240) },
  { file: 'dist/klite.core.js', gzip: 7520 },
  { file: 'dist/stub.min.js', raw: 700 },
];

const readme = readFileSync('README.md', 'utf8');
const fmt = (n) => n.toLocaleString('en-US') + ' B';
let failed = false;
for (const { file, gzip, raw } of budgets) {
  const bytes = readFileSync(file);
  const sizes = {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  const over = (gzip && sizes.gzip > gzip) || (raw && sizes.raw > raw);
  const budget = gzip ? `budget ${gzip} gzip` : `budget ${raw} raw`;
  console.log(
    `${file.padEnd(20)} raw ${String(sizes.raw).padStart(6)}  gzip ${String(sizes.gzip).padStart(5)}  brotli ${String(sizes.brotli).padStart(5)}  (${budget})${over ? '  OVER BUDGET' : ''}`,
  );
  failed ||= over;
  // The README quotes these figures; they must be the build's.
  const row = readme.split('\n').find((l) => l.startsWith('| `' + file + '`'));
  const quoted =
    row &&
    row
      .split('|')
      .slice(2, 5)
      .map((c) => c.trim());
  const actual = [sizes.raw, sizes.gzip, sizes.brotli].map(fmt);
  if (!quoted || quoted.join() !== actual.join()) {
    console.error(`README.md quotes ${file} as ${quoted ? quoted.join(' / ') : 'nothing'}; the build is ${actual.join(' / ')}.`);
    failed = true;
  }
}
if (failed) {
  console.error('size: over budget');
  process.exit(1);
}
