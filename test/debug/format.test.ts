import { describe, expect, it } from 'vitest';
import { callLabel, maskEmail, maskIds, maskTail, outcome, retryLine, short } from '../../src/debug/format';

describe('the debug view masks identifiers', () => {
  it('keeps an email first letter and domain only', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j•••@example.com');
    expect(maskEmail('not an email')).toBe('•••');
  });
  it('keeps the last two characters of a phone number or external id', () => {
    expect(maskTail('+15555550123')).toBe('•••23');
    expect(maskIds({ email: 'jane@example.com', phone_number: '+15555550123', external_id: 'cust-9981' })).toBe(
      'j•••@example.com, phone •••23, id •••81',
    );
    expect(maskIds({})).toBe('anonymous');
  });
  it('labels a call without its property values', () => {
    expect(callLabel('e', 'Viewed Product', { properties: { secret: 'x' } })).toBe('track "Viewed Product"');
    expect(callLabel('p', undefined, { email: 'sam@shop.example', properties: { plan: 'gold' } })).toBe('identify s•••@shop.example');
    expect(callLabel('p', undefined, { properties: { $viewed_items: [] } })).toBe('profile update ($viewed_items)');
  });
  it('cuts long values to one short line', () => {
    expect(short('x'.repeat(80))).toHaveLength(60);
    expect(short(49)).toBe('49');
  });
});

describe('the debug view says what klite does with an answer', () => {
  it('acknowledged, retried, refused alone or as a batch', () => {
    expect(outcome(202, '', 3)).toEqual({ state: 'acknowledged', line: '202 accepted' });
    expect(outcome(503, '', 1).line).toBe('503: kept, retried with back-off');
    expect(outcome(0, '', 1).line).toMatch(/^no answer/);
    expect(outcome(429, 'Throttled', 2).line).toMatch(/Retry-After/);
    expect(outcome(400, 'Bad time', 1)).toEqual({ state: 'refused: Bad time (dropped)', line: '400 refused: Bad time' });
    expect(outcome(400, 'Bad time', 4).state).toBe('refused with its batch, resent alone');
  });
  it('says when the next send is', () => {
    expect(retryLine(13_450, 10_000)).toMatch(/^klite retry: next send in 3\.5 s/);
  });
});
