import { guard } from '../guard';
import type { Properties } from '../types';
import type { Product } from './product';

/** localStorage key of the cart klite saw; `reset()` clears it too. */
export { CART_KEY } from '../webstore';

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
const total = (items: Line[]) =>
  items.reduce<number | undefined>((sum, l) => (l.RowTotal == null ? sum : (sum || 0) + (l.RowTotal || 0)), undefined);

/** The cart after adding `quantity` of `product` (one line per product), and the Added to Cart properties. */
export function addToCart(cart: Cart, product: Product, quantity: number, origin: string): [Cart, Properties] {
  const { Price, ProductID, SKU, ProductName, URL, ImageURL, Categories } = product;
  const old = cart.items.find((l) => l.ProductID == ProductID && l.SKU == SKU);
  const q = quantity + (old ? old.Quantity : 0);
  const next = {
    id: cart.id,
    items: cart.items
      .filter((l) => l != old)
      .concat({
        ProductID,
        SKU,
        ProductName,
        Quantity: q,
        ItemPrice: Price,
        RowTotal: Price == null ? undefined : Price * q,
        ProductURL: URL,
        ImageURL,
        ProductCategories: Categories,
      }),
  };
  // AddedItemProductName, AddedItemProductID, AddedItemSKU, AddedItemCategories, AddedItemImageURL,
  // AddedItemURL, AddedItemPrice (and the product's other fields), AddedItemQuantity.
  const props: Properties = { AddedItemQuantity: quantity, ...cartProperties(next, origin + '/checkout') };
  for (const k in product) props['AddedItem' + k] = product[k as 'SKU'];
  return [next, props];
}

/** The cart's shape in Added to Cart and Started Checkout. */
export const cartProperties = ({ items }: Cart, checkoutUrl: string): Properties => ({
  $value: total(items),
  ItemNames: items.map((l) => l.ProductName).filter(Boolean),
  CheckoutURL: checkoutUrl,
  Items: items,
});

/** Shopify `/cart/add(.js)`, Magento `/checkout/cart/add`, WooCommerce `add-to-cart` / `?wc-ajax=add_to_cart`, BigCommerce `/cart.php` and its storefront cart API. */
export const isCartAdd = (url: unknown) => /\/cart\/add|add[-_]to[-_]cart|\/cart\.php|\/storefront\/carts/.test(String(url));

/**
 * What an add-to-cart request or form says: the quantity (`quantity`, `qty`, `qty[]`; 1 when
 * unstated) and a product id (`product_id`, `productId`), from JSON, url-encoded text, FormData or
 * URLSearchParams.
 */
export function requestOf(body: any): [quantity: number, productId?: string] {
  const text = guard(() => decodeURIComponent(new URLSearchParams(body) + '')) || '';
  const quantity = /(?:quantity|qty)\W*(\d+)/i.exec(text)?.[1];
  const productId = /product_?id\W*(\w+)/i.exec(text)?.[1];
  // Unstated or 0: one.
  return [+quantity! || 1, productId];
}
