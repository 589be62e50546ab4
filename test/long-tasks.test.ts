// The e2e long-task check (e2e/long-tasks.mjs) on hand-made traces: a klite script is long when
// the main thread spent LONG_MS of CPU on it, not when the wall clock says so.
import { describe, expect, it } from 'vitest';
import { longKliteScripts } from '../e2e/long-tasks.mjs';

const KLITE = 'http://127.0.0.1/dist/klite.js?company_id=AbC123';
const thread = { pid: 1, tid: 1 };
const script = (id: number, ts: number, dur: number, url = KLITE, type = 'USER_CALLBACK') => [
  {
    ...thread,
    name: 'AnimationFrame::Script::Execute',
    ph: 'b',
    ts,
    id2: { local: '0x' + id },
    args: {
      animation_frame_script_timing_info: {
        invoker_type: type,
        property_like_name: 'TimerHandler:setTimeout',
        source_location_url: url,
        source_location_function_name: 'f',
        source_location_char_position: 42,
      },
    },
  },
  { ...thread, name: 'AnimationFrame::Script::Execute', ph: 'e', ts: ts + dur, id2: { local: '0x' + id } },
];
/** A task of `dur` µs on the wall clock during which the thread ran `tdur` µs. */
const task = (ts: number, dur: number, tts: number, tdur: number) => ({
  ...thread,
  name: 'ThreadControllerImpl::RunTask',
  ph: 'X',
  ts,
  dur,
  tts,
  tdur,
});

describe('longKliteScripts', () => {
  it('passes over a script the thread was descheduled in: 80 ms on the wall clock, 6 ms of CPU', () => {
    const trace = [task(1_000, 80_000, 500, 6_000), ...script(1, 1_000, 80_000)];
    expect(longKliteScripts(trace, 50)).toEqual([]);
  });

  it('reports a script that kept the thread busy, with both durations', () => {
    const trace = [task(1_000, 90_000, 500, 70_000), ...script(1, 1_000, 90_000)];
    expect(longKliteScripts(trace, 50)).toEqual([
      { invoker: 'TimerHandler:setTimeout', type: 'USER_CALLBACK', fn: 'f', at: 42, wallMs: 90, cpuMs: 70 },
    ]);
  });

  it('counts only the script, not the rest of its task: nested events bound its thread time', () => {
    // A 100 ms task: 60 ms of layout first (60 ms CPU), then klite's 40 ms script (20 ms CPU).
    const layout = { ...thread, name: 'Layout', ph: 'X', ts: 1_000, dur: 60_000, tts: 500, tdur: 60_000 };
    const call = { ...thread, name: 'FunctionCall', ph: 'X', ts: 61_000, dur: 40_000, tts: 60_500, tdur: 20_000 };
    const trace = [task(1_000, 100_000, 500, 80_000), layout, call, ...script(1, 61_000, 40_000)];
    expect(longKliteScripts(trace, 30)).toEqual([]);
    // Without the nested events the whole task's thread time is the bound: stricter, never looser.
    expect(longKliteScripts([task(1_000, 100_000, 500, 80_000), ...script(1, 61_000, 40_000)], 30)).toHaveLength(1);
  });

  it("leaves out the page's own scripts and klite's evaluation", () => {
    const trace = [
      task(1_000, 90_000, 500, 90_000),
      ...script(1, 1_000, 90_000, 'http://127.0.0.1/shop/theme.js'),
      task(200_000, 90_000, 100_000, 90_000),
      ...script(2, 200_000, 90_000, KLITE, 'CLASSIC_SCRIPT'),
    ];
    expect(longKliteScripts(trace, 50)).toEqual([]);
  });

  it('pairs the entries of one frame in order, and other threads do not count', () => {
    const other = { pid: 2, tid: 2, name: 'ThreadControllerImpl::RunTask', ph: 'X', ts: 0, dur: 500_000, tts: 0, tdur: 500_000 };
    const trace = [other, task(1_000, 200_000, 0, 200_000), ...script(1, 1_000, 10_000), ...script(1, 20_000, 60_000)];
    expect(longKliteScripts(trace, 50).map((t) => t.wallMs)).toEqual([60]);
  });
});
