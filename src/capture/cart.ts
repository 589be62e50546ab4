import type { Properties } from '../types';
import type { Product } from './product';

/** localStorage key of the cart klite saw; `reset()` clears it too. */
export const CART_KEY = 'klite:cart';

/** A cart line as Klaviyo's Added to Cart and Started Checkout events list it. */
export interface Line {
  ProductID?: string;
  SKU?: string;
  ProductName?: string;
  Quantity: number;
  ItemPrice?: number;
  RowTotal?: number;
  ProductURL?: string;
  ImageURL?: string;
  ProductCategories?: string[];
}

/** What klite saw added to the cart in this browser, with the id its Started Checkout will carry. */
export interface Cart {
  id: string;
  items: Line[];
}

/** The cart's value; undefined while no line has a known price. */
const total = (items: Line[]) => (items.some((l) => l.RowTotal != null) ? items.reduce((sum, l) => sum + (l.RowTotal || 0), 0) : undefined);

/** The cart after adding `quantity` of `product` (one line per product), and the Added to Cart properties. */
export function addToCart(cart: Cart, product: Product, quantity: number, origin: string): [Cart, Properties] {
  const price = product.Price;
  const line = (q: number): Line => ({
    ProductID: product.ProductID,
    SKU: product.SKU,
    ProductName: product.ProductName,
    Quantity: q,
    ItemPrice: price,
    RowTotal: price == null ? undefined : price * q,
    ProductURL: product.URL,
    ImageURL: product.ImageURL,
    ProductCategories: product.Categories,
  });
  const same = (l: Line) => l.ProductID == product.ProductID && l.SKU == product.SKU;
  const old = cart.items.find(same);
  const items = cart.items.filter((l) => l != old).concat(line(quantity + (old ? old.Quantity : 0)));
  const next = { id: cart.id, items };
  // AddedItemProductName, AddedItemProductID, AddedItemSKU, AddedItemCategories, AddedItemImageURL,
  // AddedItemURL, AddedItemPrice (and the product's other fields), AddedItemQuantity.
  const props: Properties = { AddedItemQuantity: quantity, ...cartProperties(next, origin + '/checkout') };
  for (const k in product) props['AddedItem' + k] = product[k as 'SKU'];
  return [next, props];
}

/** The cart's shape in Added to Cart and Started Checkout. */
export const cartProperties = (cart: Cart, checkoutUrl: string): Properties => ({
  $value: total(cart.items),
  ItemNames: cart.items.map((l) => l.ProductName).filter(Boolean),
  CheckoutURL: checkoutUrl,
  Items: cart.items,
});

/** Shopify `/cart/add(.js)`, Magento `/checkout/cart/add`, WooCommerce `add-to-cart` / `?wc-ajax=add_to_cart`, BigCommerce `/cart.php` and its storefront cart API. */
export const isCartAdd = (url: unknown) => /\/cart\/add|add[-_]to[-_]cart|\/cart\.php|\/storefront\/carts/.test(String(url));

/**
 * What an add-to-cart request or form says: the quantity (`quantity`, `qty`, `qty[]`; 1 when
 * unstated) and a product id (`product_id`, `productId`), from JSON, url-encoded text, FormData or
 * URLSearchParams.
 */
export function requestOf(body: any): [quantity: number, productId?: string] {
  let text = '';
  try {
    text = decodeURIComponent(new URLSearchParams(body) + '');
  } catch {}
  const q = /(?:quantity|qty)\W*(\d+)/i.exec(text);
  return [Math.max(1, q ? +q[1] : 1), (/product_?id\W*(\w+)/i.exec(text) || [])[1]];
}
