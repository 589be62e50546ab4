// Which source file the bytes of dist/klite.js come from: builds the script-tag bundle with a
// source map and attributes every output character to its source. Prints raw bytes and the gzip
// size of each file's share (shares compress worse alone than together, so they sum to more
// than the bundle's gzip size; the order is what matters when looking for bytes to cut).
import { rollup } from 'rollup';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { gzipSync } from 'node:zlib';
import config from '../rollup.config.mjs';

const [browser] = config;
const bundle = await rollup({ input: browser.input, plugins: browser.plugins });
const { output } = await bundle.generate({ ...browser.output, file: undefined, sourcemap: true });
const [{ code, map }] = output;
const trace = new TraceMap(map);
const shares = {};
code.split('\n').forEach((line, i) => {
  let source = '(wrapper)';
  for (let column = 0; column < line.length; column++) {
    const p = originalPositionFor(trace, { line: i + 1, column });
    if (p.source) source = p.source.replace(/^.*?(src|node_modules)\//, '$1/');
    (shares[source] ||= []).push(line[column]);
  }
});
const rows = Object.entries(shares)
  .map(([file, chars]) => [file, chars.length, gzipSync(chars.join(''), { level: 9 }).length])
  .sort((a, b) => b[1] - a[1]);
console.log('file'.padEnd(42) + 'raw'.padStart(7) + 'gzip alone'.padStart(12));
for (const [file, raw, gz] of rows) console.log(file.padEnd(42) + String(raw).padStart(7) + String(gz).padStart(12));
console.log('total'.padEnd(42) + String(code.length).padStart(7) + String(gzipSync(code, { level: 9 }).length).padStart(12));
