// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { addToCart, cartProperties, isCartAdd, requestOf } from '../../src/capture/cart';

describe('the cart', () => {
  const boot = {
    ProductName: 'Trail Boot',
    ProductID: 'boot-1',
    SKU: 'B42',
    Categories: ['Footwear'],
    ImageURL: 'b.png',
    URL: 'https://s/boot',
    Price: 129,
    Brand: 'NW',
  };
  it("gives Added to Cart's documented keys and the cart, one line per product", () => {
    let [cart, props] = addToCart({ id: 'c1', items: [] }, boot, 2, 'https://s');
    expect(props).toMatchObject({
      $value: 258,
      AddedItemProductName: 'Trail Boot',
      AddedItemProductID: 'boot-1',
      AddedItemSKU: 'B42',
      AddedItemCategories: ['Footwear'],
      AddedItemImageURL: 'b.png',
      AddedItemURL: 'https://s/boot',
      AddedItemPrice: 129,
      AddedItemQuantity: 2,
      ItemNames: ['Trail Boot'],
      CheckoutURL: 'https://s/checkout',
    });
    [cart, props] = addToCart(cart, { ...boot, ProductName: 'Mug', ProductID: 'mug', SKU: 'M', Price: 14.5 }, 1, 'https://s');
    [cart, props] = addToCart(cart, boot, 1, 'https://s');
    expect(cart.items.map((l) => [l.ProductID, l.Quantity, l.RowTotal])).toEqual([
      ['mug', 1, 14.5],
      ['boot-1', 3, 387],
    ]);
    expect(props.$value).toBe(401.5);
    expect(props.Items).toEqual(cart.items);
    expect(cart.items[1]).toEqual({
      ProductID: 'boot-1',
      SKU: 'B42',
      ProductName: 'Trail Boot',
      Quantity: 3,
      ItemPrice: 129,
      RowTotal: 387,
      ProductURL: 'https://s/boot',
      ImageURL: 'b.png',
      ProductCategories: ['Footwear'],
    });
  });
  it('has no value while no price is known', () => {
    const [cart, props] = addToCart({ id: 'c', items: [] }, { ProductID: '311' }, 1, 'https://s');
    expect(props.$value).toBeUndefined();
    expect(cartProperties(cart, 'https://s/checkout/')).toMatchObject({ ItemNames: [], CheckoutURL: 'https://s/checkout/' });
  });
  it("recognises the platforms' add-to-cart endpoints, and nothing else", () => {
    for (const u of [
      '/cart/add',
      '/cart/add.js',
      'https://s.example/cart/add.js?x=1',
      '/?wc-ajax=add_to_cart',
      '/shop/?add-to-cart=311',
      '/cart.php',
      '/api/storefront/carts/abc/items',
      '/remote/v1/cart/add',
      '/checkout/cart/add/uenc/x/product/1/',
    ])
      expect(isCartAdd(u), u).toBe(true);
    for (const u of [
      '/cart',
      '/cart.js',
      '/cart/change.js',
      '/products/boot',
      '/?wc-ajax=get_refreshed_fragments',
      new URL('https://s/collections/all'),
    ])
      expect(isCartAdd(u), String(u)).toBe(false);
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
