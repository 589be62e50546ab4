<?php
/**
 * The WordPress functions the klite plugin calls, modelled on their sources (WordPress 6.4+
 * wp-includes/plugin.php, option.php, class-wp-scripts.php, script-loader.php, formatting.php),
 * so that the plugin runs here as it runs in WordPress: one request per PHP process, its state
 * (options, user, cookies) given by render.php. WooCommerce's part is wc-stubs.php.
 *
 * @package klite
 */

// phpcs:disable

define( 'ABSPATH', __DIR__ . '/' );
define( 'ARRAY_A', 'ARRAY_A' );

// ---- Hooks (wp-includes/plugin.php): priorities, accepted args, did_action. ----
$GLOBALS['wp_filter']  = array();
$GLOBALS['wp_actions'] = array();

function add_filter( $hook, $callback, $priority = 10, $accepted_args = 1 ) {
	$GLOBALS['wp_filter'][ $hook ][ $priority ][] = array( $callback, $accepted_args );
	return true;
}
function add_action( $hook, $callback, $priority = 10, $accepted_args = 1 ) {
	return add_filter( $hook, $callback, $priority, $accepted_args );
}
function has_filter( $hook ) {
	return ! empty( $GLOBALS['wp_filter'][ $hook ] );
}
function apply_filters( $hook, $value, ...$args ) {
	if ( empty( $GLOBALS['wp_filter'][ $hook ] ) ) {
		return $value;
	}
	$callbacks = $GLOBALS['wp_filter'][ $hook ];
	ksort( $callbacks );
	foreach ( $callbacks as $list ) {
		foreach ( $list as list( $callback, $accepted ) ) {
			$value = call_user_func_array( $callback, array_slice( array_merge( array( $value ), $args ), 0, $accepted ) );
		}
	}
	return $value;
}
function do_action( $hook, ...$args ) {
	$GLOBALS['wp_actions'][ $hook ] = ( $GLOBALS['wp_actions'][ $hook ] ?? 0 ) + 1;
	if ( empty( $GLOBALS['wp_filter'][ $hook ] ) ) {
		return;
	}
	$callbacks = $GLOBALS['wp_filter'][ $hook ];
	ksort( $callbacks );
	foreach ( $callbacks as $list ) {
		foreach ( $list as list( $callback, $accepted ) ) {
			call_user_func_array( $callback, array_slice( $args ? $args : array( '' ), 0, $accepted ) );
		}
	}
}
function did_action( $hook ) {
	return $GLOBALS['wp_actions'][ $hook ] ?? 0;
}

// ---- Options and the Settings API (option.php, plugin.php, template.php). ----
$GLOBALS['wp_options']         = array();
$GLOBALS['wp_settings_errors'] = array();
$GLOBALS['wp_registered']      = array( 'settings' => array(), 'sections' => array(), 'fields' => array(), 'pages' => array() );

function get_option( $name, $default = false ) {
	if ( array_key_exists( $name, $GLOBALS['wp_options'] ) ) {
		return $GLOBALS['wp_options'][ $name ];
	}
	// register_setting's `default` is served through the default_option_ filter, as in WordPress.
	return apply_filters( "default_option_{$name}", $default, $name, false );
}
function update_option( $name, $value ) {
	$value = sanitize_option( $name, $value );
	$GLOBALS['wp_options'][ $name ] = $value;
	return true;
}
function sanitize_option( $name, $value ) {
	return apply_filters( "sanitize_option_{$name}", $value, $name, $value );
}
function register_setting( $group, $name, $args = array() ) {
	$GLOBALS['wp_registered']['settings'][ $name ] = array( 'group' => $group ) + $args;
	if ( ! empty( $args['sanitize_callback'] ) ) {
		add_filter( "sanitize_option_{$name}", $args['sanitize_callback'] );
	}
	if ( array_key_exists( 'default', $args ) ) {
		add_filter(
			"default_option_{$name}",
			function ( $default, $option, $passed ) use ( $args ) {
				return $passed ? $default : $args['default'];
			},
			10,
			3
		);
	}
}
function add_settings_error( $setting, $code, $message, $type = 'error' ) {
	$GLOBALS['wp_settings_errors'][] = compact( 'setting', 'code', 'message', 'type' );
}
function get_settings_errors() {
	return $GLOBALS['wp_settings_errors'];
}
function add_settings_section( $id, $title, $callback, $page ) {
	$GLOBALS['wp_registered']['sections'][ $page ][ $id ] = compact( 'id', 'title', 'callback' );
}
function add_settings_field( $id, $title, $callback, $page, $section = 'default', $args = array() ) {
	$GLOBALS['wp_registered']['fields'][ $page ][ $section ][ $id ] = compact( 'id', 'title', 'callback', 'args' );
}
function add_options_page( $page_title, $menu_title, $capability, $slug, $callback = '' ) {
	$GLOBALS['wp_registered']['pages'][ $slug ] = compact( 'page_title', 'menu_title', 'capability', 'callback' );
	$GLOBALS['title'] = $page_title;
	return 'settings_page_' . $slug;
}
function settings_fields( $group ) {
	echo "<input type='hidden' name='option_page' value='" . esc_attr( $group ) . "' />";
	echo '<input type="hidden" name="action" value="update" />';
}
function do_settings_sections( $page ) {
	foreach ( $GLOBALS['wp_registered']['sections'][ $page ] ?? array() as $section ) {
		echo '<h2>' . $section['title'] . "</h2>\n";
		call_user_func( $section['callback'], $section );
		echo '<table class="form-table" role="presentation">';
		foreach ( $GLOBALS['wp_registered']['fields'][ $page ][ $section['id'] ] ?? array() as $field ) {
			echo '<tr><th scope="row"><label for="' . esc_attr( $field['args']['label_for'] ?? '' ) . '">' . $field['title'] . '</label></th><td>';
			call_user_func( $field['callback'], $field['args'] );
			echo '</td></tr>';
		}
		echo '</table>';
	}
}
function submit_button() {
	echo '<p class="submit"><input type="submit" name="submit" id="submit" class="button button-primary" value="Save Changes" /></p>';
}
function get_admin_page_title() {
	return $GLOBALS['title'] ?? '';
}
function current_user_can( $capability ) {
	return ! empty( $GLOBALS['klite_test_user']['caps'] ) && in_array( $capability, $GLOBALS['klite_test_user']['caps'], true );
}
function checked( $checked, $current = true, $display = true ) {
	return __checked_selected_helper( $checked, $current, $display, 'checked' );
}
function selected( $selected, $current = true, $display = true ) {
	return __checked_selected_helper( $selected, $current, $display, 'selected' );
}
function __checked_selected_helper( $helper, $current, $display, $type ) {
	$result = (string) $helper === (string) $current ? " $type='$type'" : '';
	if ( $display ) {
		echo $result;
	}
	return $result;
}

// ---- i18n, escaping, formatting (l10n.php, formatting.php, functions.php). ----
function __( $text, $domain = 'default' ) {
	return $text;
}
function esc_html__( $text, $domain = 'default' ) {
	return esc_html( $text );
}
function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8', false );
}
function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8', false );
}
/** esc_url's checks: allowed protocols, relative paths kept, `http://` added to a bare host; & as &#038; for display. */
function esc_url( $url, $protocols = null, $context = 'display' ) {
	$url = trim( (string) $url );
	if ( '' === $url ) {
		return '';
	}
	$url = preg_replace( '|[^a-z0-9-~+_.?#=!&;,/:%@$\|*\'()\[\]\\x80-\\xff]|i', '', str_replace( ' ', '%20', $url ) );
	if ( strpos( $url, ':' ) === false && ! in_array( $url[0], array( '/', '#', '?' ), true ) && ! preg_match( '/^[a-z0-9-]+?\.php/i', $url ) ) {
		$url = 'http://' . $url;
	}
	$protocols = $protocols ? $protocols : array( 'http', 'https', 'ftp', 'ftps', 'mailto', 'news', 'irc', 'irc6', 'ircs', 'gopher', 'nntp', 'feed', 'telnet', 'mms', 'rtsp', 'sms', 'svn', 'tel', 'fax', 'xmpp', 'webcal', 'urn' );
	if ( preg_match( '/^([a-z][a-z0-9+.-]*):/i', $url, $m ) && ! in_array( strtolower( $m[1] ), $protocols, true ) ) {
		return '';
	}
	if ( 'display' === $context ) {
		$url = str_replace( '&amp;', '&#038;', str_replace( '&', '&#038;', $url ) );
		$url = str_replace( "'", '&#039;', $url );
	}
	return $url;
}
function esc_url_raw( $url, $protocols = null ) {
	return esc_url( $url, $protocols, 'db' );
}
function sanitize_text_field( $str ) {
	$str = (string) $str;
	$str = wp_strip_all_tags( $str );
	return trim( preg_replace( '/[\r\n\t ]+/', ' ', $str ) );
}
function wp_strip_all_tags( $text ) {
	return strip_tags( preg_replace( '@<(script|style)[^>]*?>.*?</\\1>@si', '', $text ) );
}
function wp_unslash( $value ) {
	return is_array( $value ) ? array_map( 'wp_unslash', $value ) : stripslashes( (string) $value );
}
function wp_json_encode( $data, $options = 0, $depth = 512 ) {
	return json_encode( $data, $options, $depth );
}
function wp_generate_uuid4() {
	$b = random_bytes( 16 );
	$b[6] = chr( ord( $b[6] ) & 0x0f | 0x40 );
	$b[8] = chr( ord( $b[8] ) & 0x3f | 0x80 );
	return vsprintf( '%s%s-%s-%s-%s-%s%s%s', str_split( bin2hex( $b ), 4 ) );
}
function wp_generate_password( $length = 12, $special_chars = true ) {
	$chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	$out   = '';
	for ( $i = 0; $i < $length; $i++ ) {
		$out .= $chars[ random_int( 0, strlen( $chars ) - 1 ) ];
	}
	return $out;
}
function maybe_serialize( $data ) {
	return is_array( $data ) || is_object( $data ) ? serialize( $data ) : $data;
}
function maybe_unserialize( $data ) {
	return is_string( $data ) && preg_match( '/^(a|O|s|i|d|b|N):/', $data ) ? unserialize( $data ) : $data;
}
function add_query_arg( $key, $value, $url ) {
	return $url . ( strpos( $url, '?' ) === false ? '?' : '&' ) . rawurlencode( $key ) . '=' . rawurlencode( (string) $value );
}
function home_url( $path = '' ) {
	return rtrim( $GLOBALS['klite_test_home'], '/' ) . '/' . ltrim( $path, '/' );
}
function rest_url( $path = '' ) {
	return home_url( 'wp-json/' . ltrim( $path, '/' ) );
}
function plugins_url( $path, $plugin ) {
	return home_url( 'wp-content/plugins/' . basename( dirname( $plugin ) ) . '/' . ltrim( $path, '/' ) );
}
function nocache_headers() {
	$GLOBALS['klite_test_nocache'] = true;
}
function is_admin() {
	return ! empty( $GLOBALS['klite_test_admin'] );
}
function current_theme_supports( $feature, $arg = null ) {
	// Block themes and every default theme since Twenty Twenty declare html5 script support.
	return 'html5' === $feature;
}

// ---- Users (pluggable.php, user.php). ----
class WP_User {
	public $ID = 0;
	public $user_email = '';
	public $user_firstname = '';
	public $user_lastname = '';
	public function exists() {
		return ! empty( $this->ID );
	}
}
function wp_get_current_user() {
	$user = new WP_User();
	if ( ! empty( $GLOBALS['klite_test_user'] ) ) {
		$user->ID             = $GLOBALS['klite_test_user']['id'] ?? 1;
		$user->user_email     = $GLOBALS['klite_test_user']['email'] ?? '';
		$user->user_firstname = $GLOBALS['klite_test_user']['first_name'] ?? '';
		$user->user_lastname  = $GLOBALS['klite_test_user']['last_name'] ?? '';
	}
	return $user;
}
function is_user_logged_in() {
	return wp_get_current_user()->exists();
}

// ---- Errors and REST (class-wp-error.php, rest-api). ----
class WP_Error {
	public $code;
	public $message;
	public $data;
	public function __construct( $code = '', $message = '', $data = '' ) {
		$this->code    = $code;
		$this->message = $message;
		$this->data    = $data;
	}
}
function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}
class WP_REST_Request {
	private $method;
	private $route;
	private $params;
	public function __construct( $method = '', $route = '', $params = array() ) {
		$this->method = $method;
		$this->route  = $route;
		$this->params = $params;
	}
	public function get_method() {
		return $this->method;
	}
	public function get_route() {
		return $this->route;
	}
	public function get_param( $key ) {
		return $this->params[ $key ] ?? null;
	}
}
class WP_REST_Response {
	public $data;
	public $status;
	public function __construct( $data = null, $status = 200 ) {
		$this->data   = $data;
		$this->status = $status;
	}
	public function get_status() {
		return $this->status;
	}
	public function get_data() {
		return $this->data;
	}
}

// ---- Scripts (class-wp-scripts.php, functions.wp-scripts.php, script-loader.php; WordPress 6.4+). ----
$GLOBALS['wp_scripts_state'] = array( 'registered' => array(), 'queue' => array(), 'done' => array() );

function wp_enqueue_script( $handle, $src = '', $deps = array(), $ver = false, $args = array() ) {
	$s = &$GLOBALS['wp_scripts_state'];
	if ( ! isset( $s['registered'][ $handle ] ) ) {
		// Since 6.3 the fifth argument is an array: in_footer and strategy (a bool is the old in_footer).
		$args                        = is_array( $args ) ? $args : array( 'in_footer' => (bool) $args );
		$s['registered'][ $handle ] = array(
			'src'    => $src,
			'deps'   => $deps,
			'ver'    => $ver,
			'group'  => empty( $args['in_footer'] ) ? 0 : 1,
			'data'   => array( 'strategy' => $args['strategy'] ?? '' ),
		);
	}
	if ( ! in_array( $handle, $s['queue'], true ) ) {
		$s['queue'][] = $handle;
	}
}
function wp_add_inline_script( $handle, $data, $position = 'after' ) {
	$s = &$GLOBALS['wp_scripts_state'];
	if ( ! isset( $s['registered'][ $handle ] ) || ! $data ) {
		return false;
	}
	$position                                               = 'after' === $position ? 'after' : 'before';
	$s['registered'][ $handle ]['data'][ $position ][] = $data;
	return true;
}
function wp_script_is( $handle, $status = 'enqueued' ) {
	return in_array( $handle, $GLOBALS['wp_scripts_state']['queue'], true );
}
/** WP_Scripts::get_eligible_loading_strategy: a script with an "after" inline script cannot be delayed. */
function klite_test_eligible_strategy( $handle ) {
	$item = $GLOBALS['wp_scripts_state']['registered'][ $handle ];
	$intended = $item['data']['strategy'];
	if ( ! in_array( $intended, array( 'defer', 'async' ), true ) || ! empty( $item['data']['after'] ) ) {
		return '';
	}
	return $intended;
}
function wp_sanitize_script_attributes( $attributes ) {
	$html5 = ! is_admin() && ! current_theme_supports( 'html5', 'script' );
	$out   = '';
	foreach ( $attributes as $name => $value ) {
		if ( is_bool( $value ) ) {
			if ( $value ) {
				$out .= $html5 ? sprintf( ' %1$s="%2$s"', esc_attr( $name ), esc_attr( $name ) ) : ' ' . esc_attr( $name );
			}
		} else {
			$out .= sprintf( ' %1$s="%2$s"', esc_attr( $name ), esc_attr( $value ) );
		}
	}
	return $out;
}
function wp_get_script_tag( $attributes ) {
	$attributes = apply_filters( 'wp_script_attributes', $attributes );
	return sprintf( "<script%s></script>\n", wp_sanitize_script_attributes( $attributes ) );
}
function wp_get_inline_script_tag( $data, $attributes = array() ) {
	$data       = "\n" . trim( $data, "\n\r " ) . "\n";
	$attributes = apply_filters( 'wp_inline_script_attributes', $attributes, $data );
	return sprintf( "<script%s>%s</script>\n", wp_sanitize_script_attributes( $attributes ), $data );
}
/** WP_Scripts::do_item as of 6.4: before-inline, the tag from wp_get_script_tag, after-inline, then script_loader_tag. */
function klite_test_do_item( $handle ) {
	$item     = $GLOBALS['wp_scripts_state']['registered'][ $handle ];
	$before   = empty( $item['data']['before'] ) ? '' : wp_get_inline_script_tag( trim( implode( "\n", $item['data']['before'] ), "\n" ), array( 'id' => "{$handle}-js-before" ) );
	$after    = empty( $item['data']['after'] ) ? '' : wp_get_inline_script_tag( trim( implode( "\n", $item['data']['after'] ), "\n" ), array( 'id' => "{$handle}-js-after" ) );
	$strategy = klite_test_eligible_strategy( $handle );
	$src      = $item['src'];
	if ( null !== $item['ver'] ) {
		$src = add_query_arg( 'ver', $item['ver'] ? $item['ver'] : '6.7', $src );
	}
	$src  = esc_url_raw( apply_filters( 'script_loader_src', $src, $handle ) );
	$attr = array( 'src' => $src, 'id' => "{$handle}-js" );
	if ( $strategy ) {
		$attr[ $strategy ] = true;
	}
	if ( $item['data']['strategy'] ) {
		$attr['data-wp-strategy'] = $item['data']['strategy'];
	}
	$tag = $before . wp_get_script_tag( $attr ) . $after;
	echo apply_filters( 'script_loader_tag', $tag, $handle, $src );
	$GLOBALS['wp_scripts_state']['done'][] = $handle;
}
function klite_test_print_group( $group ) {
	foreach ( $GLOBALS['wp_scripts_state']['queue'] as $handle ) {
		if ( $GLOBALS['wp_scripts_state']['registered'][ $handle ]['group'] === $group && ! in_array( $handle, $GLOBALS['wp_scripts_state']['done'], true ) ) {
			klite_test_do_item( $handle );
		}
	}
}
function wp_enqueue_scripts() {
	do_action( 'wp_enqueue_scripts' );
}
function wp_print_head_scripts() {
	klite_test_print_group( 0 );
}
function wp_print_footer_scripts() {
	klite_test_print_group( 1 );
}
function wp_head() {
	do_action( 'wp_head' );
}
function wp_footer() {
	do_action( 'wp_footer' );
}
// default-filters.php.
add_action( 'wp_head', 'wp_enqueue_scripts', 1 );
add_action( 'wp_head', 'wp_print_head_scripts', 9 );
add_action( 'wp_footer', 'wp_print_footer_scripts', 20 );

