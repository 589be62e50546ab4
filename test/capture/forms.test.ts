// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { emailOf, ignored } from '../../src/capture/forms';

describe('forms', () => {
  const form = (html: string) => {
    document.body.innerHTML = html;
    return document.querySelector('form')!;
  };
  it('finds the typed email; never a password or hidden field', () => {
    expect(emailOf(form('<form><input type="email" value=" sarah@example.com "></form>'))).toBe('sarah@example.com');
    expect(emailOf(form('<form><input name="customer[email]" value="a@b.co"><input type="password" value="secret"></form>'))).toBe(
      'a@b.co',
    );
    expect(emailOf(form('<form><input type="hidden" name="store_email" value="shop@s.example"><input name="q"></form>'))).toBeUndefined();
    expect(emailOf(form('<form><input type="password" name="email_password" value="x@y.zz"></form>'))).toBeUndefined();
    expect(emailOf(form('<form><input type="email" value="not-an-email"></form>'))).toBeUndefined();
  });
  it('respects data-klite-ignore on the form or around it', () => {
    expect(ignored(form('<form data-klite-ignore><input type="email"></form>'))).toBeTruthy();
    expect(ignored(form('<div data-klite-ignore><form></form></div>'))).toBeTruthy();
    expect(ignored(form('<form></form>'))).toBeNull();
  });
});
