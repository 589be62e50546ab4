// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { activityProperties, MAX_PARAMS } from '../src/capture/activity';
import { addToCart, cartProperties, isCartAdd, requestOf } from '../src/capture/cart';
import { emailOf, ignored } from '../src/capture/forms';
import { routeOf } from '../src/capture/route';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';

describe('activityProperties', () => {
  it("sends klaviyo.js's Active on Site properties", () => {
    const url = new URL('https://shop.example/products/boot?utm_source=mail&utm_campaign=fall&color=red&utm_email=a%40b.co&_kx=tok.AbC123#reviews');
    expect(activityProperties(url, '/landing', 'https://google.com/search?q=boot', CHROME)).toEqual({
      page: url.href, browser: 'Chrome', os: 'Linux', initial_page_path: '/landing', kx_present: true, fragment: 'reviews',
      referrer: 'https://google.com/search?q=boot', utm_source: 'mail', utm_campaign: 'fall', color: 'red',
    });
  });
  it('tells browsers apart whose user agents name several', () => {
    expect(activityProperties(new URL('https://s.example/'), '/', '', EDGE)).toMatchObject({ browser: 'Edge', os: 'Windows' });
    expect(activityProperties(new URL('https://s.example/'), '/', '', IPHONE)).toMatchObject({ browser: 'Safari', os: 'iOS' });
  });
  it('leaves out a referrer on the same site, and query parameters past the tenth (utm_* always kept)', () => {
    const params = Array.from({ length: 15 }, (_, i) => `p${i}=${i}`).join('&');
    const p = activityProperties(new URL(`https://s.example/?${params}&utm_medium=email`), '/', 'https://s.example/cart', CHROME);
    expect(p.referrer).toBeUndefined();
    expect(Object.keys(p).filter((k) => /^p\d+$/.test(k))).toHaveLength(MAX_PARAMS);
    expect(p.utm_medium).toBe('email');
    expect(p.kx_present).toBe(false);
  });
});

describe('the cart', () => {
  const boot = { ProductName: 'Trail Boot', ProductID: 'boot-1', SKU: 'B42', Categories: ['Footwear'], ImageURL: 'b.png', URL: 'https://s/boot', Price: 129, Brand: 'NW' };
  it("gives Added to Cart's documented keys and the cart, one line per product", () => {
    let [cart, props] = addToCart({ id: 'c1', items: [] }, boot, 2, 'https://s');
    expect(props).toMatchObject({
      $value: 258, AddedItemProductName: 'Trail Boot', AddedItemProductID: 'boot-1', AddedItemSKU: 'B42', AddedItemCategories: ['Footwear'],
      AddedItemImageURL: 'b.png', AddedItemURL: 'https://s/boot', AddedItemPrice: 129, AddedItemQuantity: 2, ItemNames: ['Trail Boot'], CheckoutURL: 'https://s/checkout',
    });
    [cart, props] = addToCart(cart, { ...boot, ProductName: 'Mug', ProductID: 'mug', SKU: 'M', Price: 14.5 }, 1, 'https://s');
    [cart, props] = addToCart(cart, boot, 1, 'https://s');
    expect(cart.items.map((l) => [l.ProductID, l.Quantity, l.RowTotal])).toEqual([['mug', 1, 14.5], ['boot-1', 3, 387]]);
    expect(props.$value).toBe(401.5);
    expect(props.Items).toEqual(cart.items);
    expect(cart.items[1]).toEqual({ ProductID: 'boot-1', SKU: 'B42', ProductName: 'Trail Boot', Quantity: 3, ItemPrice: 129, RowTotal: 387, ProductURL: 'https://s/boot', ImageURL: 'b.png', ProductCategories: ['Footwear'] });
  });
  it('has no value while no price is known', () => {
    const [cart, props] = addToCart({ id: 'c', items: [] }, { ProductID: '311' }, 1, 'https://s');
    expect(props.$value).toBeUndefined();
    expect(cartProperties(cart, 'https://s/checkout/')).toMatchObject({ ItemNames: [], CheckoutURL: 'https://s/checkout/' });
  });
  it("recognises the platforms' add-to-cart endpoints, and nothing else", () => {
    for (const u of ['/cart/add', '/cart/add.js', 'https://s.example/cart/add.js?x=1', '/?wc-ajax=add_to_cart', '/shop/?add-to-cart=311', '/cart.php', '/api/storefront/carts/abc/items', '/remote/v1/cart/add', '/checkout/cart/add/uenc/x/product/1/'])
      expect(isCartAdd(u), u).toBe(true);
    for (const u of ['/cart', '/cart.js', '/cart/change.js', '/products/boot', '/?wc-ajax=get_refreshed_fragments', new URL('https://s/collections/all')]) expect(isCartAdd(u), String(u)).toBe(false);
  });
  it('reads the quantity and product id from JSON, url-encoded text, FormData and URLSearchParams', () => {
    const fd = new FormData();
    fd.append('action', 'add');
    fd.append('product_id', '112');
    fd.append('qty[]', '3');
    expect(requestOf(fd)).toEqual([3, '112']);
    expect(requestOf('{"items":[{"id":42001,"quantity":2}]}')).toEqual([2, undefined]);
    expect(requestOf('{"lineItems":[{"quantity":"4","productId":77}]}')).toEqual([4, '77']);
    expect(requestOf('quantity=5&product_id=311')).toEqual([5, '311']);
    expect(requestOf(new URLSearchParams({ qty: '6' }))).toEqual([6, undefined]);
    for (const nothing of [undefined, null, '', new Blob(['x']), '{"quantity":0}']) expect(requestOf(nothing)[0]).toBe(1);
  });
});

describe('forms', () => {
  const form = (html: string) => {
    document.body.innerHTML = html;
    return document.querySelector('form')!;
  };
  it('finds the typed email; never a password or hidden field', () => {
    expect(emailOf(form('<form><input type="email" value=" sarah@example.com "></form>'))).toBe('sarah@example.com');
    expect(emailOf(form('<form><input name="customer[email]" value="a@b.co"><input type="password" value="secret"></form>'))).toBe('a@b.co');
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

describe('routeOf', () => {
  it("counts a router's fragment, not an anchor", () => {
    expect(routeOf('https://s/a?b=1#reviews')).toBe('https://s/a?b=1');
    expect(routeOf('https://s/#/products/1')).toBe('https://s/#/products/1');
    expect(routeOf('https://s/#!/x')).toBe('https://s/#!/x');
  });
});
