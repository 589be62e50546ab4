<?php
/**
 * Runs one request of a WordPress site with the klite plugin, over wp-stubs.php (and wc-stubs.php
 * when WooCommerce is active): the scenario (JSON on stdin, or a file named on the command line)
 * gives the site's state (options, user, WooCommerce session, cart, cookies) and the request; the
 * result (JSON on stdout) is what the request printed or answered, and the state after it, for
 * the next request to start from.
 *
 * Requests: `page` (a front-end page: its head and footer), `form_add` (a classic add-to-cart form
 * post), `ajax_add` (`?wc-ajax=add_to_cart`: WC_AJAX::add_to_cart's JSON), `fragments`
 * (`?wc-ajax=get_refreshed_fragments`), `store_api` (a Store API request, `batch` included),
 * `save` (Settings → klite submitted through options.php), `admin` (the settings page).
 *
 * @package klite
 */

// phpcs:disable

require __DIR__ . '/wp-stubs.php';

$scenario = json_decode( isset( $argv[1] ) ? file_get_contents( $argv[1] ) : stream_get_contents( STDIN ), true );
if ( ! is_array( $scenario ) ) {
	fwrite( STDERR, "render.php: the scenario is not JSON\n" );
	exit( 2 );
}
$request = $scenario['request'] ?? array( 'type' => 'page' );

$GLOBALS['klite_test_home']     = $scenario['home'] ?? 'http://shop.test';
$GLOBALS['klite_test_user']     = $scenario['user'] ?? null;
$GLOBALS['klite_test_page']     = $scenario['page'] ?? 'home';
$GLOBALS['klite_test_products'] = $scenario['products'] ?? array();
$GLOBALS['klite_test_admin']    = in_array( $request['type'], array( 'save', 'admin' ), true );
$GLOBALS['wp_options']          = $scenario['options'] ?? array();
$_COOKIE                        = $scenario['cookies'] ?? array();
foreach ( $scenario['server'] ?? array() as $k => $v ) {
	$_SERVER[ $k ] = $v;
}

if ( ! empty( $scenario['woocommerce'] ) ) {
	require __DIR__ . '/wc-stubs.php';
	$wc                = new WooCommerce();
	$wc->session       = new KliteTest_Session();
	$wc->session->data = $scenario['session'] ?? array();
	$wc->cart          = new KliteTest_Cart();
	foreach ( $scenario['cart'] ?? array() as $key => $line ) {
		$wc->cart->cart_contents[ $key ] = array(
			'key'          => $key,
			'product_id'   => $line['product_id'],
			'variation_id' => $line['variation_id'] ?? 0,
			'variation'    => array(),
			'quantity'     => $line['quantity'],
			'data'         => wc_get_product( ! empty( $line['variation_id'] ) ? $line['variation_id'] : $line['product_id'] ),
		);
	}
	$GLOBALS['klite_test_wc'] = $wc;
}

// wp-settings.php: plugins load, then plugins_loaded; WooCommerce's Blocks package announces itself; init.
require dirname( __DIR__, 3 ) . '/integrations/wordpress/klite/klite.php';
do_action( 'plugins_loaded' );
if ( ! empty( $scenario['woocommerce'] ) ) {
	do_action( 'woocommerce_blocks_loaded' );
}
do_action( 'init' );
do_action( 'wp_loaded' );

/** The Store API cart response (CartSchema): items, totals in minor units, extensions. */
function klite_test_cart_response() {
	$items = array();
	$total = 0;
	foreach ( WC()->cart->get_cart() as $key => $item ) {
		$price   = (int) round( $item['data']->get_price() * 100 );
		$total  += $price * $item['quantity'];
		$items[] = array(
			'key'      => $key,
			'id'       => $item['variation_id'] ? $item['variation_id'] : $item['product_id'],
			'quantity' => $item['quantity'],
			'name'     => $item['data']->get_name(),
			'sku'      => $item['data']->get_sku(),
			'prices'   => array( 'price' => (string) $price, 'currency_minor_unit' => 2 ),
		);
	}
	return array(
		'items'       => $items,
		'items_count' => array_sum( array_column( $items, 'quantity' ) ),
		'totals'      => array( 'total_items' => (string) $total, 'total_price' => (string) $total, 'currency_code' => 'EUR', 'currency_minor_unit' => 2 ),
		'extensions'  => klite_test_extensions( 'cart' ),
	);
}

/** WP_REST_Server::dispatch → respond_to_request: the before and after filters around the route's callback. */
function klite_test_dispatch( $method, $route, $body ) {
	$request  = new WP_REST_Request( $method, $route, $body );
	$handler  = array( 'methods' => $method );
	$response = apply_filters( 'rest_request_before_callbacks', null, $handler, $request );
	if ( null === $response ) {
		if ( preg_match( '#^/wc/store(/v\d+)?/cart/add-item$#', $route ) && 'POST' === $method ) {
			if ( ! wc_get_product( $body['id'] ?? 0 ) ) {
				$response = new WP_Error( 'woocommerce_rest_cart_invalid_product', 'This product cannot be added to the cart.', array( 'status' => 400 ) );
			} else {
				WC()->cart->store_api_add_to_cart( (int) $body['id'], (int) ( $body['quantity'] ?? 1 ) );
				$response = new WP_REST_Response( klite_test_cart_response(), 201 );
			}
		} elseif ( preg_match( '#^/wc/store(/v\d+)?/cart$#', $route ) && 'GET' === $method ) {
			$response = new WP_REST_Response( klite_test_cart_response(), 200 );
		} else {
			$response = new WP_Error( 'rest_no_route', 'No route was found matching the URL and request method.', array( 'status' => 404 ) );
		}
	}
	$response = apply_filters( 'rest_request_after_callbacks', $response, $handler, $request );
	return is_wp_error( $response )
		? array( 'status' => $response->data['status'], 'body' => array( 'code' => $response->code, 'message' => $response->message ) )
		: array( 'status' => $response->get_status(), 'body' => $response->get_data() );
}

/** WC_AJAX::get_refreshed_fragments's answer. */
function klite_test_fragments() {
	return array(
		'fragments' => apply_filters(
			'woocommerce_add_to_cart_fragments',
			array( 'div.widget_shopping_cart_content' => '<div class="widget_shopping_cart_content"><p class="woocommerce-mini-cart__total total">…</p></div>' )
		),
		'cart_hash' => WC()->cart->get_cart_hash(),
	);
}

ob_start();
$output = null;
switch ( $request['type'] ) {
	case 'page':
		ob_start();
		wp_head();
		$head = ob_get_clean();
		ob_start();
		wp_footer();
		$output = array( 'head' => $head, 'footer' => ob_get_clean() );
		break;
	case 'form_add':
		// WC_Form_Handler::add_to_cart_action (wp_loaded): the posted product, then a redirect.
		WC()->cart->add_to_cart( (int) $request['product_id'], (int) ( $request['quantity'] ?? 1 ), (int) ( $request['variation_id'] ?? 0 ) );
		$output = array( 'redirect' => true );
		break;
	case 'ajax_add':
		// WC_AJAX::add_to_cart: product_id and quantity from the POST body.
		$product_id = (int) $request['product_id'];
		if ( false !== WC()->cart->add_to_cart( $product_id, (int) ( $request['quantity'] ?? 1 ) ) ) {
			do_action( 'woocommerce_ajax_added_to_cart', $product_id );
			$output = klite_test_fragments();
		} else {
			$output = array( 'error' => true, 'product_url' => '' );
		}
		break;
	case 'fragments':
		$output = klite_test_fragments();
		break;
	case 'store_api':
		if ( preg_match( '#^/wc/store(/v\d+)?/batch$#', $request['path'] ) ) {
			// The batch route dispatches each request in turn.
			$responses = array();
			foreach ( $request['body']['requests'] as $sub ) {
				$responses[] = klite_test_dispatch( $sub['method'] ?? 'POST', preg_replace( '#^/wp-json#', '', $sub['path'] ), $sub['body'] ?? array() );
			}
			$output = array( 'status' => 207, 'body' => array( 'responses' => $responses ) );
		} else {
			$output = klite_test_dispatch( $request['method'] ?? 'GET', $request['path'], $request['body'] ?? array() );
		}
		break;
	case 'save':
		do_action( 'admin_init' );
		update_option( 'klite_settings', $request['input'] );
		$output = array( 'option' => get_option( 'klite_settings' ), 'errors' => get_settings_errors() );
		break;
	case 'admin':
		do_action( 'admin_init' );
		do_action( 'admin_menu' );
		ob_start();
		call_user_func( $GLOBALS['wp_registered']['pages']['klite']['callback'] );
		$output = ob_get_clean();
		break;
	default:
		fwrite( STDERR, "render.php: unknown request {$request['type']}\n" );
		exit( 2 );
}
$stray = ob_get_clean();

$cart = array();
if ( function_exists( 'WC' ) ) {
	foreach ( WC()->cart->get_cart() as $key => $item ) {
		$cart[ $key ] = array( 'product_id' => $item['product_id'], 'variation_id' => $item['variation_id'], 'quantity' => $item['quantity'] );
	}
}
echo json_encode(
	array(
		'output'         => $output,
		'stray'          => $stray,
		'donotcachepage' => defined( 'DONOTCACHEPAGE' ),
		'state'          => array(
			'options' => $GLOBALS['wp_options'],
			'session' => function_exists( 'WC' ) ? WC()->session->data : null,
			'cart'    => (object) $cart,
		),
	),
	JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT
);
