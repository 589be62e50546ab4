import { guard } from './guard';
import { save } from './webstore';

// What one tab learns that the shop's other open tabs must know too (a consent answer, a pause in
// sending, a nudge to the tab that sends) goes through localStorage's `storage` event, which every
// other tab of the origin hears: one mechanism for all of it, in every engine, in fewer bytes than
// a BroadcastChannel beside it. (Listening makes Chromium open the storage areas: consent.ts.)

/** Tells the other tabs `value` under `key`: written and removed at once, so they hear the write and nothing stays behind. */
export const tell = (key: string, value: unknown) => {
  save(key, value);
  save(key);
};

/** Hears what other tabs `tell` under `key` (never what this tab tells: the event is the other tabs'). */
export const hear = (key: string, heard: (value: any) => void) =>
  addEventListener('storage', (e) =>
    guard(() => {
      if (e.key == key && e.newValue) heard(JSON.parse(e.newValue));
    }),
  );
