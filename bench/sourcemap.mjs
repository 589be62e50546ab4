// Maps a position in dist/klite.js back to klite's source with the build's hidden source map
// (dist/klite.js.map), so a figure names its cause: "src/identity.ts:33 createIdentity".
import { readFileSync } from 'node:fs';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The map's segments per generated line: [generated column, source index, source line, source column]. */
function decode(mappings) {
  const lines = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const text of mappings.split(';')) {
    const segments = [];
    let generated = 0;
    for (const segment of text.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      generated += values[0];
      if (values.length < 4) continue;
      source += values[1];
      line += values[2];
      column += values[3];
      segments.push([generated, source, line, column]);
    }
    lines.push(segments);
  }
  return lines;
}

/** `where(line, column)` (0-based, as CPU profiles give them) → `{ file, line, text }`, or undefined. */
export function sourceMapOf(mapFile) {
  let map;
  try {
    map = JSON.parse(readFileSync(mapFile, 'utf8'));
  } catch {
    return () => undefined;
  }
  const lines = decode(map.mappings);
  return (line, column) => {
    const segments = lines[line] || [];
    let found;
    for (const segment of segments) {
      if (segment[0] > column) break;
      found = segment;
    }
    if (!found) return undefined;
    const [, source, sourceLine] = found;
    const text = (map.sourcesContent?.[source] || '').split('\n')[sourceLine] || '';
    return { file: map.sources[source].replace(/^(\.\.\/)+/, ''), line: sourceLine + 1, text: text.trim().slice(0, 70) };
  };
}
