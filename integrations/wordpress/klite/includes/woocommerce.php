<?php
/**
 * WooCommerce: Added to Cart and Started Checkout from the server's cart.
 *
 * klite's browser hooks see WooCommerce's adds only in part: a classic archive add names just the
 * product id, a Blocks add through the Store API (`cart/add-item`, `batch`) is missed, and the
 * cart klite keeps is only what this browser saw. The server knows every add exactly
 * (`woocommerce_add_to_cart`), so each one is recorded in the WooCommerce session as a
 * Klaviyo-shaped Added to Cart with a fixed `$event_id`, and handed to the browser by the first
 * of: the classic AJAX add's fragments (read on jQuery `added_to_cart`), the Store API cart's
 * `extensions.klite` (read after `wc-blocks_added_to_cart`), or the next page's head. The browser
 * side (assets/klite-woocommerce.js) pushes it to klite and acknowledges it in the `klite_added`
 * cookie; the server then drops it. The head drops what it prints. klite is told `no_capture=cart,
 * checkout` so that its own hooks do not track the same add again (tag.php).
 *
 * @package klite
 */

defined( 'ABSPATH' ) || exit;

/** Adds kept for the browser at most: an older one is dropped rather than the session growing. */
const KLITE_MAX_PENDING = 20;

/** Whether WooCommerce is active. */
function klite_woocommerce_active() {
	return class_exists( 'WooCommerce' );
}

/** Hooks into WooCommerce (plugins_loaded), only with a valid key and WooCommerce active. */
function klite_woocommerce_init() {
	if ( ! klite_woocommerce_active() || '' !== klite_check_key( klite_settings()['company_id'] ) ) {
		return;
	}
	add_action( 'woocommerce_cart_emptied', 'klite_forget_cart' );
	if ( klite_captures( 'cart' ) ) {
		add_action( 'woocommerce_add_to_cart', 'klite_on_add_to_cart', 10, 3 );
		add_action( 'woocommerce_after_cart_item_quantity_update', 'klite_on_quantity_update', 10, 3 );
		add_filter( 'rest_request_before_callbacks', 'klite_rest_before', 10, 3 );
		add_filter( 'rest_request_after_callbacks', 'klite_rest_after', 10, 3 );
		add_filter( 'woocommerce_add_to_cart_fragments', 'klite_fragments' );
		add_action( 'wp_enqueue_scripts', 'klite_woocommerce_enqueue' );
		if ( did_action( 'woocommerce_blocks_loaded' ) ) {
			klite_store_api_register();
		} else {
			add_action( 'woocommerce_blocks_loaded', 'klite_store_api_register' );
		}
	}
}

/**
 * Whether a capture kind is on in the settings.
 *
 * @param string $kind `cart` or `checkout`.
 * @return bool
 */
function klite_captures( $kind ) {
	return ! in_array( $kind, klite_settings()['off'], true );
}

/** The WooCommerce session, if this request has one. */
function klite_session() {
	$wc = function_exists( 'WC' ) ? WC() : null;
	return $wc && ! empty( $wc->session ) ? $wc->session : null;
}

/** The cart, if this request has one. */
function klite_cart() {
	$wc = function_exists( 'WC' ) ? WC() : null;
	return $wc && ! empty( $wc->cart ) ? $wc->cart : null;
}

/**
 * The `$event_id`s the browser says klite has (the `klite_added` cookie, set by
 * klite-woocommerce.js).
 *
 * @return string[]
 */
function klite_acknowledged() {
	if ( empty( $_COOKIE['klite_added'] ) ) {
		return array();
	}
	$ids = explode( ',', sanitize_text_field( wp_unslash( $_COOKIE['klite_added'] ) ) );
	return array_values( array_filter( $ids, 'strlen' ) );
}

/**
 * The adds not yet handed to klite, without those the browser acknowledged (which are dropped).
 *
 * @return array[]
 */
function klite_pending() {
	$session = klite_session();
	if ( ! $session ) {
		return array();
	}
	$adds = $session->get( 'klite_added', array() );
	$adds = is_array( $adds ) ? $adds : array();
	$done = klite_acknowledged();
	if ( $done ) {
		$left = array_values(
			array_filter(
				$adds,
				function ( $add ) use ( $done ) {
					return ! in_array( $add['$event_id'], $done, true );
				}
			)
		);
		if ( count( $left ) !== count( $adds ) ) {
			$session->set( 'klite_added', $left );
		}
		$adds = $left;
	}
	return $adds;
}

/**
 * A cart line as klite and Klaviyo's Started Checkout list it. Prices as the shop displays them
 * (its tax setting), rounded to its decimals; the product id is the parent product's for a
 * variation (as on its product page), as a string like the id klite reads from the page.
 *
 * @param array $item A cart item (`WC()->cart->get_cart()`).
 * @return array
 */
function klite_line( $item ) {
	$product  = $item['data'];
	$quantity = (int) $item['quantity'];
	$decimals = wc_get_price_decimals();
	$price    = round( (float) wc_get_price_to_display( $product ), $decimals );
	$image    = $product->get_image_id() ? wp_get_attachment_url( $product->get_image_id() ) : '';
	return klite_present(
		array(
			'ProductID'         => (string) $item['product_id'],
			'SKU'               => $product->get_sku(),
			'ProductName'       => $product->get_name(),
			'Quantity'          => $quantity,
			'ItemPrice'         => $price,
			'RowTotal'          => round( $price * $quantity, $decimals ),
			'ProductURL'        => $product->get_permalink(),
			'ImageURL'          => $image,
			'ProductCategories' => wc_get_product_terms( $item['product_id'], 'product_cat', array( 'fields' => 'names' ) ),
		)
	);
}

/**
 * Without what the shop does not state (no empty SKU, image or category list).
 *
 * @param array $values Properties.
 * @return array
 */
function klite_present( $values ) {
	return array_filter(
		$values,
		function ( $v ) {
			return null !== $v && '' !== $v && false !== $v && array() !== $v;
		}
	);
}

/**
 * The cart's shape in Added to Cart and Started Checkout: `$value` (the lines' total, as klite's
 * own cart has it), `ItemNames`, `CheckoutURL`, `Items`.
 *
 * @param \WC_Cart $cart The cart.
 * @return array
 */
function klite_cart_properties( $cart ) {
	$items = array_map( 'klite_line', array_values( $cart->get_cart() ) );
	return array(
		'$value'      => round( array_sum( array_column( $items, 'RowTotal' ) ), wc_get_price_decimals() ),
		'ItemNames'   => array_column( $items, 'ProductName' ),
		'CheckoutURL' => wc_get_checkout_url(),
		'Items'       => $items,
	);
}

/**
 * Records an add of `$quantity` to the cart line `$key` as an Added to Cart for the browser.
 *
 * @param string $key      The cart item key.
 * @param int    $quantity How many were added.
 */
function klite_record_add( $key, $quantity ) {
	$session = klite_session();
	$cart    = klite_cart();
	$quantity = (int) $quantity;
	if ( ! $session || ! $cart || $quantity < 1 ) {
		return;
	}
	$contents = $cart->get_cart();
	if ( empty( $contents[ $key ] ) ) {
		return;
	}
	$line = klite_line( $contents[ $key ] );
	$add  = array_merge(
		// Fixed here, once: whichever way (and however often) the add reaches klite, Klaviyo counts it once.
		array( '$event_id' => 'wc.' . str_replace( '-', '', wp_generate_uuid4() ) ),
		klite_present(
			array(
				'AddedItemProductName' => isset( $line['ProductName'] ) ? $line['ProductName'] : null,
				'AddedItemProductID'   => $line['ProductID'],
				'AddedItemSKU'         => isset( $line['SKU'] ) ? $line['SKU'] : null,
				'AddedItemCategories'  => isset( $line['ProductCategories'] ) ? $line['ProductCategories'] : null,
				'AddedItemImageURL'    => isset( $line['ImageURL'] ) ? $line['ImageURL'] : null,
				'AddedItemURL'         => isset( $line['ProductURL'] ) ? $line['ProductURL'] : null,
				'AddedItemPrice'       => $line['ItemPrice'],
				'AddedItemQuantity'    => $quantity,
			)
		),
		klite_cart_properties( $cart )
	);
	$adds   = klite_pending();
	$adds[] = $add;
	$session->set( 'klite_added', array_slice( $adds, -KLITE_MAX_PENDING ) );
}

/**
 * `woocommerce_add_to_cart`: every classic add (form post, `?add-to-cart=`, `wc-ajax=add_to_cart`)
 * and a Store API add of a product not yet in the cart. `$quantity` is the quantity added.
 *
 * @param string $key        Cart item key.
 * @param int    $product_id Product id.
 * @param int    $quantity   Quantity added.
 */
function klite_on_add_to_cart( $key, $product_id, $quantity ) {
	if ( is_array( $GLOBALS['klite_store_api_add'] ?? null ) ) {
		// This add is recorded here; not again from the quantity change that came with it.
		unset( $GLOBALS['klite_store_api_add'][ $key ] );
	}
	klite_record_add( $key, $quantity );
}

/**
 * The Store API's `cart/add-item` of a product already in the cart only raises the line's quantity
 * (`set_quantity`, no `woocommerce_add_to_cart`): the increase is an add, noted here and recorded
 * once the request succeeded. Quantity changes anywhere else (the cart page) are not adds.
 *
 * @param string $key          Cart item key.
 * @param int    $quantity     New quantity.
 * @param int    $old_quantity Old quantity.
 */
function klite_on_quantity_update( $key, $quantity, $old_quantity ) {
	if ( is_array( $GLOBALS['klite_store_api_add'] ?? null ) && $quantity > $old_quantity ) {
		$GLOBALS['klite_store_api_add'][ $key ] = (int) $quantity - (int) $old_quantity;
	}
}

/**
 * Marks a Store API add-item request (alone, or one of a `batch`'s, which WordPress dispatches one by one).
 *
 * @param mixed            $response Response so far.
 * @param array            $handler  Route handler.
 * @param \WP_REST_Request $request  The request.
 * @return mixed
 */
function klite_rest_before( $response, $handler, $request ) {
	if ( $request instanceof WP_REST_Request && preg_match( '#^/wc/store(/v\d+)?/cart/add-item$#', $request->get_route() ) ) {
		$GLOBALS['klite_store_api_add'] = array();
	}
	return $response;
}

/**
 * Records the adds noted during a Store API add-item request, if it succeeded.
 *
 * @param mixed            $response The response.
 * @param array            $handler  Route handler.
 * @param \WP_REST_Request $request  The request.
 * @return mixed
 */
function klite_rest_after( $response, $handler, $request ) {
	$noted = $GLOBALS['klite_store_api_add'] ?? null;
	if ( is_array( $noted ) ) {
		$GLOBALS['klite_store_api_add'] = null;
		$failed                         = is_wp_error( $response ) || ( $response instanceof WP_REST_Response && $response->get_status() >= 400 );
		foreach ( $failed ? array() : $noted as $key => $quantity ) {
			klite_record_add( $key, $quantity );
		}
	}
	return $response;
}

/**
 * `woocommerce_add_to_cart_fragments`: the pending adds, for klite-woocommerce.js to read on the
 * jQuery `added_to_cart` that WooCommerce's add-to-cart.js triggers with these fragments. A key
 * that no element matches, and inert JSON: themes replace `$( key )` with each fragment.
 *
 * @param array $fragments Selector => HTML.
 * @return array
 */
function klite_fragments( $fragments ) {
	$adds = klite_pending();
	if ( $adds && is_array( $fragments ) ) {
		$fragments['script.klite-added'] = '<script type="application/json" class="klite-added">' . klite_json( $adds ) . '</script>';
	}
	return $fragments;
}

/** The pending adds in the Store API's cart, as `extensions.klite.added` (woocommerce_blocks_loaded). */
function klite_store_api_register() {
	if ( ! function_exists( 'woocommerce_store_api_register_endpoint_data' ) ) {
		return;
	}
	woocommerce_store_api_register_endpoint_data(
		array(
			'endpoint'        => 'cart', // CartSchema::IDENTIFIER.
			'namespace'       => 'klite',
			'data_callback'   => 'klite_store_api_data',
			'schema_callback' => 'klite_store_api_schema',
			'schema_type'     => ARRAY_A,
		)
	);
}

/** Store API data: read only, so that a response the browser side never reads (add-item's, a block's refresh) takes nothing away. */
function klite_store_api_data() {
	return array( 'added' => klite_pending() );
}

/** Store API schema of `extensions.klite`. */
function klite_store_api_schema() {
	return array(
		'added' => array(
			'description' => __( 'Adds to cart not yet handed to klite, as Klaviyo Added to Cart properties.', 'klite' ),
			'type'        => 'array',
			'context'     => array( 'view', 'edit' ),
			'readonly'    => true,
			'items'       => array( 'type' => 'object' ),
		),
	);
}

/** The browser side, with the Store API cart's address (wp_enqueue_scripts). */
function klite_woocommerce_enqueue() {
	wp_enqueue_script(
		'klite-woocommerce',
		plugins_url( 'assets/klite-woocommerce.js', KLITE_FILE ),
		array(),
		KLITE_VERSION,
		array(
			'strategy'  => 'defer',
			'in_footer' => true,
		)
	);
	wp_add_inline_script( 'klite-woocommerce', 'window.kliteWoo = ' . klite_json( array( 'cart' => rest_url( 'wc/store/v1/cart' ) ) ) . ';', 'before' );
}

/**
 * A browser's prefetch or prerender of a page (WordPress's speculative loading) is not a page
 * view: it must not take the pending adds, which a page that is never shown would lose.
 */
function klite_is_prefetch() {
	$purpose = isset( $_SERVER['HTTP_SEC_PURPOSE'] ) ? sanitize_text_field( wp_unslash( $_SERVER['HTTP_SEC_PURPOSE'] ) ) : '';
	return false !== strpos( $purpose, 'prefetch' );
}

/** A page that carries this visitor's cart must not be stored by a full-page cache. */
function klite_no_cache() {
	if ( ! defined( 'DONOTCACHEPAGE' ) ) {
		define( 'DONOTCACHEPAGE', true );
	}
	if ( ! headers_sent() ) {
		nocache_headers();
	}
}

/**
 * What this page's head hands klite: the pending adds (then dropped from the session) and, on the
 * checkout page, Started Checkout.
 *
 * @return array[] `_learnq` calls.
 */
function klite_woocommerce_head_calls() {
	if ( ! klite_woocommerce_active() || klite_is_prefetch() ) {
		return array();
	}
	$calls   = array();
	$session = klite_session();
	if ( $session && klite_captures( 'cart' ) ) {
		foreach ( klite_pending() as $add ) {
			$calls[] = array( 'track', 'Added to Cart', $add );
		}
		if ( $calls ) {
			$session->set( 'klite_added', array() );
		}
	}
	$checkout = klite_captures( 'checkout' ) ? klite_started_checkout() : null;
	if ( $checkout ) {
		$calls[] = array( 'track', 'Started Checkout', $checkout );
	}
	if ( $calls ) {
		klite_no_cache();
	}
	return $calls;
}

/**
 * Started Checkout on the checkout page (classic or block; not the order-received or pay pages),
 * from the server's cart, once per cart: its `$event_id` is this cart's token and contents, so a
 * reload is not a second checkout and a changed cart is a new one.
 *
 * @return array|null
 */
function klite_started_checkout() {
	$cart    = klite_cart();
	$session = klite_session();
	if ( ! $cart || ! $session || ! is_checkout() || is_wc_endpoint_url( 'order-received' ) || is_wc_endpoint_url( 'order-pay' ) || $cart->is_empty() ) {
		return null;
	}
	$token = $session->get( 'klite_cart' );
	if ( ! $token ) {
		$token = wp_generate_password( 12, false );
		$session->set( 'klite_cart', $token );
	}
	$id = $token . '.' . substr( $cart->get_cart_hash(), 0, 12 );
	if ( $session->get( 'klite_checkout' ) === $id ) {
		return null;
	}
	$session->set( 'klite_checkout', $id );
	return array_merge( array( '$event_id' => $id ), klite_cart_properties( $cart ) );
}

/** A new cart after an order or an emptied cart (woocommerce_cart_emptied): its checkout is a new one. */
function klite_forget_cart() {
	$session = klite_session();
	if ( $session ) {
		$session->set( 'klite_cart', null );
		$session->set( 'klite_checkout', null );
	}
}
