/** Forms klite leaves alone: the merchant's `data-klite-ignore`, on the form or around it (that element, else null). */
export const ignored = (form: Element) => form.closest('[data-klite-ignore]');

/**
 * The valid email a submitted form carries, if any (newsletter, login, checkout): from an input
 * that is an email field by type, name, id or autocomplete. Password and hidden inputs are never read.
 */
export function emailOf(form: HTMLFormElement): string | undefined {
  for (const input of form.querySelectorAll('input')) {
    const value =
      !/password|hidden/.test(input.type) && /mail/i.test(input.type + input.name + input.id + input.autocomplete) && input.value.trim();
    // (false, when the input is not an email field, is no address either.)
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value as string)) return value as string;
  }
}
