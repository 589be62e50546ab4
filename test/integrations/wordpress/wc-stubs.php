<?php
/**
 * WooCommerce as the klite plugin meets it, loaded by render.php only on a scenario with WooCommerce
 * active (so that `class_exists( 'WooCommerce' )` and `WC()` are absent otherwise): the session,
 * the cart with WC_Cart::add_to_cart and set_quantity, the Store API's add-item (CartController),
 * ExtendSchema's endpoint data, and the product, price and page functions the plugin calls.
 *
 * @package klite
 */

// phpcs:disable

class WooCommerce {
	public $session;
	public $cart;
}
function WC() {
	return $GLOBALS['klite_test_wc'] ?? null;
}
/** WC_Session_Handler: values kept serialized, as WooCommerce stores them. */
class KliteTest_Session {
	public $data = array();
	public function get( $key, $default = null ) {
		return isset( $this->data[ $key ] ) ? maybe_unserialize( $this->data[ $key ] ) : $default;
	}
	public function set( $key, $value ) {
		if ( $value !== $this->get( $key ) ) {
			$this->data[ $key ] = maybe_serialize( $value );
		}
	}
}
class KliteTest_Product {
	public $props;
	public function __construct( $props ) {
		$this->props = $props;
	}
	public function get_id() {
		return $this->props['id'];
	}
	public function get_parent_id() {
		return $this->props['parent_id'] ?? 0;
	}
	public function is_type( $type ) {
		return in_array( $this->props['type'] ?? 'simple', (array) $type, true );
	}
	public function get_name() {
		return $this->props['name'];
	}
	/** A variation without its own SKU shows its parent's (WC_Product_Variation, view context). */
	public function get_sku() {
		if ( '' === ( $this->props['sku'] ?? '' ) && $this->get_parent_id() ) {
			return wc_get_product( $this->get_parent_id() )->get_sku();
		}
		return $this->props['sku'] ?? '';
	}
	public function get_price() {
		return $this->props['price'];
	}
	public function get_permalink() {
		return $this->props['url'];
	}
	public function get_image_id() {
		if ( empty( $this->props['image'] ) && $this->get_parent_id() ) {
			return wc_get_product( $this->get_parent_id() )->get_image_id();
		}
		return empty( $this->props['image'] ) ? 0 : 1000 + $this->props['id'];
	}
}
function wc_get_product( $id ) {
	$p = $GLOBALS['klite_test_products'][ (string) $id ] ?? null;
	return $p ? new KliteTest_Product( array( 'id' => (int) $id ) + $p ) : false;
}
function wp_get_attachment_url( $id ) {
	$product = wc_get_product( $id - 1000 );
	return $product ? $product->props['image'] : false;
}
function wc_get_product_terms( $product_id, $taxonomy, $args = array() ) {
	$product = wc_get_product( $product_id );
	return $product ? ( $product->props['categories'] ?? array() ) : array();
}
function wc_get_price_decimals() {
	return 2;
}
/** Prices entered without tax and displayed without tax in the shop: the price times one. */
function wc_get_price_to_display( $product, $args = array() ) {
	return (float) $product->get_price() * ( $args['qty'] ?? 1 );
}
function wc_get_checkout_url() {
	return home_url( 'checkout/' );
}
function is_checkout() {
	return in_array( $GLOBALS['klite_test_page'], array( 'checkout', 'order-received' ), true );
}
function is_wc_endpoint_url( $endpoint = false ) {
	return $endpoint === $GLOBALS['klite_test_page'];
}

/** WC_Cart: the parts that adds go through. */
class KliteTest_Cart {
	public $cart_contents = array();
	public function get_cart() {
		return $this->cart_contents;
	}
	public function is_empty() {
		return 0 === count( $this->cart_contents );
	}
	public function generate_cart_id( $product_id, $variation_id = 0 ) {
		return md5( $product_id . '_' . $variation_id );
	}
	public function get_cart_for_session() {
		$out = array();
		foreach ( $this->cart_contents as $key => $item ) {
			unset( $item['data'] );
			$out[ $key ] = $item;
		}
		return $out;
	}
	public function get_cart_hash() {
		return md5( wp_json_encode( $this->get_cart_for_session() ) );
	}
	/** WC_Cart::set_quantity: fires woocommerce_after_cart_item_quantity_update. */
	public function set_quantity( $key, $quantity = 1, $refresh_totals = true ) {
		$old = $this->cart_contents[ $key ]['quantity'];
		$this->cart_contents[ $key ]['quantity'] = $quantity;
		do_action( 'woocommerce_after_cart_item_quantity_update', $key, $quantity, $old, $this );
		return true;
	}
	/** WC_Cart::add_to_cart: an existing line's quantity is raised (set_quantity), and woocommerce_add_to_cart fires either way. */
	public function add_to_cart( $product_id = 0, $quantity = 1, $variation_id = 0, $variation = array(), $cart_item_data = array() ) {
		$product = wc_get_product( $variation_id ? $variation_id : $product_id );
		if ( ! $product ) {
			return false;
		}
		$cart_id = $this->generate_cart_id( $product_id, $variation_id );
		if ( isset( $this->cart_contents[ $cart_id ] ) ) {
			$this->set_quantity( $cart_id, $quantity + $this->cart_contents[ $cart_id ]['quantity'], false );
		} else {
			$this->cart_contents[ $cart_id ] = apply_filters(
				'woocommerce_add_cart_item',
				array_merge( $cart_item_data, array( 'key' => $cart_id, 'product_id' => $product_id, 'variation_id' => $variation_id, 'variation' => $variation, 'quantity' => $quantity, 'data' => $product ) ),
				$cart_id
			);
		}
		do_action( 'woocommerce_add_to_cart', $cart_id, $product_id, $quantity, $variation_id, $variation, $cart_item_data );
		return $cart_id;
	}
	/** Store API CartController::add_to_cart: an existing line only gets set_quantity, with no woocommerce_add_to_cart. */
	public function store_api_add_to_cart( $id, $quantity ) {
		$product      = wc_get_product( $id );
		$product_id   = $product->is_type( 'variation' ) ? $product->get_parent_id() : $id;
		$variation_id = $product->is_type( 'variation' ) ? $id : 0;
		$cart_id      = $this->generate_cart_id( $product_id, $variation_id );
		if ( isset( $this->cart_contents[ $cart_id ] ) ) {
			$this->set_quantity( $cart_id, $quantity + $this->cart_contents[ $cart_id ]['quantity'], true );
			return $cart_id;
		}
		$this->cart_contents[ $cart_id ] = array( 'key' => $cart_id, 'product_id' => $product_id, 'variation_id' => $variation_id, 'variation' => array(), 'quantity' => $quantity, 'data' => $product );
		do_action( 'woocommerce_add_to_cart', $cart_id, $product_id, $quantity, $variation_id, array(), array() );
		return $cart_id;
	}
	/** WC_Cart::empty_cart. */
	public function empty_cart() {
		$this->cart_contents = array();
		do_action( 'woocommerce_cart_emptied', true );
	}
}

/** ExtendSchema::register_endpoint_data, and what the cart endpoint puts under `extensions`. */
$GLOBALS['klite_test_store_api'] = array();
function woocommerce_store_api_register_endpoint_data( $args ) {
	$GLOBALS['klite_test_store_api'][ $args['endpoint'] ][ $args['namespace'] ] = $args;
	return true;
}
function klite_test_extensions( $endpoint ) {
	$out = array();
	foreach ( $GLOBALS['klite_test_store_api'][ $endpoint ] ?? array() as $namespace => $args ) {
		$out[ $namespace ] = call_user_func( $args['data_callback'] );
	}
	return (object) $out;
}
