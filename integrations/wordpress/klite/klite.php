<?php
/**
 * Plugin Name:       klite
 * Description:       Klaviyo tracking with klite, a tiny and reliable browser tracker: identifies logged-in customers and, on WooCommerce, tracks every add to cart and Started Checkout from the server's own cart.
 * Version:           0.1.0
 * Requires at least: 6.4
 * Requires PHP:      7.4
 * Author:            klite contributors
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       klite
 *
 * @package klite
 */

defined( 'ABSPATH' ) || exit;

// The klite release this plugin loads by default (jsDelivr) and its own version: one number, so a
// setting means what the same option means on klite's script tag (README, "Options").
define( 'KLITE_VERSION', '0.1.0' );
define( 'KLITE_FILE', __FILE__ );

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/tag.php';
require_once __DIR__ . '/includes/woocommerce.php';

add_action( 'admin_init', 'klite_register_settings' );
add_action( 'admin_menu', 'klite_add_settings_page' );
add_action( 'wp_enqueue_scripts', 'klite_enqueue' );
add_filter( 'wp_script_attributes', 'klite_script_attributes' );
// WooCommerce loads after this plugin when its folder sorts later: its classes exist from plugins_loaded.
add_action( 'plugins_loaded', 'klite_woocommerce_init' );
