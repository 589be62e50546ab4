// klite's long tasks, read from a Chromium trace: the Long Animation Frame script entries that
// klite.js ran (timers, events, callbacks; not the evaluation of the script itself), with the CPU
// time the renderer's main thread really spent on each.
//
// Why CPU time and not the entry's wall-clock duration: on a 2-core machine running two test
// workers, their browsers and servers, the main thread is often descheduled in the middle of a
// 5 ms callback, and the wall clock then reads 70–80 ms for work klite did in a fraction of that
// (seen in fresh-clone CI runs: a different klite callback each time). The thread clock (`tts`,
// `tdur` of the trace's complete events) does not advance while the thread waits for a core, so
// a task is long here only when klite's work is.

/** Categories to trace: Long Animation Frame scripts (devtools.timeline), tasks with thread time (toplevel). */
export const TRACE_CATEGORIES = ['devtools.timeline', 'toplevel'];

const KLITE = /klite(\.core)?\.js/;

/**
 * The thread time at `ts` on one thread, bounded: from the nearest complete event edge at or before
 * `ts` (`side` -1) or at or after it (`side` 1). Between two edges the thread's time is unknown, so
 * the bound is taken outward: the CPU time found for a window is never less than the real one.
 */
function threadTime(edges, ts, side) {
  let best;
  for (const [at, tt] of edges) if (side < 0 ? at <= ts && (!best || at > best[0]) : at >= ts && (!best || at < best[0])) best = [at, tt];
  return best?.[1];
}

/**
 * Every klite script entry of a trace whose CPU time reached `longMs`, as
 * `{ invoker, type, fn, at, wallMs, cpuMs }` (`at`: the character position in klite.js).
 */
export function longKliteScripts(traceEvents, longMs) {
  const open = new Map();
  const scripts = [];
  for (const e of traceEvents) {
    if (e.name != 'AnimationFrame::Script::Execute') continue;
    const key = `${e.pid}:${e.tid}:${e.id2?.local ?? e.id}`;
    if (e.ph == 'b') open.set(key, e);
    else if (e.ph == 'e' && open.has(key)) {
      const b = open.get(key);
      open.delete(key);
      const info = b.args?.animation_frame_script_timing_info || {};
      if (!KLITE.test(info.source_location_url || '') || info.invoker_type == 'CLASSIC_SCRIPT') continue;
      scripts.push({ b, e, info });
    }
  }
  const found = [];
  for (const { b, e, info } of scripts) {
    const wallMs = (e.ts - b.ts) / 1e3;
    // Wall time bounds CPU time: a script under the limit on the wall clock is under it on the thread's.
    if (wallMs < longMs) continue;
    const edges = [];
    for (const x of traceEvents)
      if (x.ph == 'X' && x.pid == b.pid && x.tid == b.tid && x.tts !== undefined && x.ts <= e.ts && x.ts + x.dur >= b.ts)
        edges.push([x.ts, x.tts], [x.ts + x.dur, x.tts + (x.tdur ?? 0)]);
    const from = threadTime(edges, b.ts, -1);
    const to = threadTime(edges, e.ts, 1);
    // No thread clock around it (not expected): the wall clock, which only errs on the strict side.
    const cpuMs = from === undefined || to === undefined ? wallMs : (to - from) / 1e3;
    if (cpuMs >= longMs)
      found.push({
        invoker: info.property_like_name,
        type: info.invoker_type,
        fn: info.source_location_function_name,
        at: info.source_location_char_position,
        wallMs: Math.round(wallMs * 10) / 10,
        cpuMs: Math.round(cpuMs * 10) / 10,
      });
  }
  return found;
}

/**
 * Starts tracing `browser` (all its pages, those opened later too) through the DevTools protocol;
 * the answer stops it and resolves to the trace's events. The trace is read as one stream in
 * large chunks: Playwright's own `stopTracing` reads it in small ones, 6 s for a 10 MB trace.
 */
export async function traceBrowser(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
  });
  return async () => {
    await cdp.send('Tracing.end');
    const { stream } = await complete;
    const parts = [];
    for (;;) {
      const { data, eof, base64Encoded } = await cdp.send('IO.read', { handle: stream, size: 1 << 24 });
      parts.push(base64Encoded ? Buffer.from(data, 'base64').toString() : data);
      if (eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    await cdp.detach();
    const text = parts.join('');
    // The stream is either {"traceEvents": [...]} or a bare array, depending on the version.
    const trace = JSON.parse(text);
    return Array.isArray(trace) ? trace : trace.traceEvents;
  };
}
