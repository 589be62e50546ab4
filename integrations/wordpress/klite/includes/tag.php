<?php
/**
 * klite's script tag in every page's head: async, its options as data attributes, and the calls
 * made before it loads (`_learnq`): the logged-in customer's identify, and on WooCommerce the
 * adds to cart and Started Checkout that the server saw (woocommerce.php).
 *
 * @package klite
 */

defined( 'ABSPATH' ) || exit;

/**
 * The kinds of auto-capture klite must not do in the browser: those turned off in the settings
 * and, on a WooCommerce shop, `cart` and `checkout`, which this plugin tracks from the server's
 * cart (exact, and never twice) instead.
 *
 * @return string[]
 */
function klite_no_capture() {
	$off = klite_settings()['off'];
	if ( klite_woocommerce_active() ) {
		$off = array_merge( $off, array( 'cart', 'checkout' ) );
	}
	return array_values( array_unique( array_intersect( KLITE_CAPTURES, $off ) ) );
}

/** Enqueues klite (wp_enqueue_scripts): nothing at all without a valid public key. */
function klite_enqueue() {
	$settings = klite_settings();
	if ( '' !== klite_check_key( $settings['company_id'] ) ) {
		return;
	}
	// In the head and async (WordPress 6.3+ strategies): klite's hooks are in place before a first
	// click, and it never holds up the page.
	wp_enqueue_script(
		'klite',
		klite_script_url(),
		array(),
		KLITE_VERSION,
		array(
			'strategy'  => 'async',
			'in_footer' => false,
		)
	);
	$calls = array();
	if ( is_user_logged_in() ) {
		$user     = wp_get_current_user();
		$identify = array_filter(
			array(
				'email'      => $user->user_email,
				'first_name' => $user->user_firstname,
				'last_name'  => $user->user_lastname,
			)
		);
		if ( ! empty( $identify['email'] ) ) {
			$calls[] = array( 'identify', $identify );
		}
	}
	$calls = array_merge( $calls, klite_woocommerce_head_calls() );
	if ( $calls ) {
		// A "before" inline script: WordPress prints it ahead of the tag and keeps the tag async (an
		// "after" one would make it blocking). klite reads what is queued in `_learnq` when it loads.
		wp_add_inline_script( 'klite', klite_learnq( $calls ), 'before' );
	}
}

/**
 * `_learnq` pushes for the given calls. Data from the database (a customer's name, a product's)
 * goes through wp_json_encode with every HTML-significant character escaped, so that no value can
 * close the script element (`</script>`) or start a comment (`<!--`).
 *
 * @param array $calls Each `array( method, ...args )`.
 * @return string
 */
function klite_learnq( $calls ) {
	$js = 'window._learnq = window._learnq || [];';
	foreach ( $calls as $call ) {
		$js .= "\n_learnq.push(" . klite_json( $call ) . ');';
	}
	return $js;
}

/**
 * JSON safe inside a script element and an HTML attribute.
 *
 * @param mixed $value The value.
 * @return string
 */
function klite_json( $value ) {
	return (string) wp_json_encode( $value, JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
}

/**
 * klite's options as its data attributes (wp_script_attributes, which WordPress 6.4+ applies to
 * every enqueued script; it escapes the values). `data-no-capture` is a space-separated list.
 *
 * @param array $attributes The script element's attributes.
 * @return array
 */
function klite_script_attributes( $attributes ) {
	if ( ! is_array( $attributes ) || ! isset( $attributes['id'] ) || 'klite-js' !== $attributes['id'] ) {
		return $attributes;
	}
	$settings                        = klite_settings();
	$attributes['data-company-id']   = $settings['company_id'];
	if ( 'granted' !== $settings['consent'] ) {
		$attributes['data-consent'] = $settings['consent'];
	}
	$off = klite_no_capture();
	if ( $off ) {
		$attributes['data-no-capture'] = implode( ' ', $off );
	}
	if ( $settings['endpoint'] ) {
		$attributes['data-endpoint'] = $settings['endpoint'];
	}
	return $attributes;
}
