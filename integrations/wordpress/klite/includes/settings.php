<?php
/**
 * Settings → klite: the public key, the consent mode, the captures, where klite.js is served and
 * the endpoint. Each means what the same option means on klite's script tag (README, "Options").
 *
 * @package klite
 */

defined( 'ABSPATH' ) || exit;

/** The auto-capture kinds klite knows (`no_capture=` on the tag). */
const KLITE_CAPTURES = array( 'activity', 'product', 'cart', 'checkout', 'forms' );

/**
 * The tag's defaults: consent granted, every capture on, this version of klite from jsDelivr, and
 * Klaviyo's own endpoint. No key: nothing is printed until a valid one is saved.
 *
 * @return array
 */
function klite_defaults() {
	return array(
		'company_id' => '',
		'consent'    => 'granted',
		'off'        => array(),
		'src'        => '',
		'endpoint'   => '',
	);
}

/**
 * The saved settings over the defaults.
 *
 * @return array
 */
function klite_settings() {
	$saved = get_option( 'klite_settings', array() );
	return array_merge( klite_defaults(), is_array( $saved ) ? $saved : array() );
}

/**
 * '' for a public key (6 letters and digits), 'private' for a private one (`pk_…`), 'invalid' for
 * anything else: klite's own check (src/config.ts `checkKey`).
 *
 * @param mixed $key The key.
 * @return string
 */
function klite_check_key( $key ) {
	if ( is_string( $key ) && preg_match( '/^pk_/i', $key ) ) {
		return 'private';
	}
	return is_string( $key ) && preg_match( '/^[A-Za-z0-9]{6}$/', $key ) ? '' : 'invalid';
}

/** The klite.js URL: the setting, else this version on jsDelivr. */
function klite_script_url() {
	$src = klite_settings()['src'];
	return $src ? $src : 'https://cdn.jsdelivr.net/npm/klite@' . KLITE_VERSION . '/dist/klite.js';
}

/** Registers the one option, its sanitizer and the page's fields (admin_init). */
function klite_register_settings() {
	register_setting(
		'klite',
		'klite_settings',
		array(
			'type'              => 'array',
			'sanitize_callback' => 'klite_sanitize_settings',
			'default'           => klite_defaults(),
		)
	);
	add_settings_section( 'klite_main', __( 'Klaviyo', 'klite' ), 'klite_section_text', 'klite' );
	$fields = array(
		'company_id' => __( 'Public API key (site ID)', 'klite' ),
		'consent'    => __( 'Consent before any signal', 'klite' ),
		'captures'   => __( 'Auto-capture', 'klite' ),
		'src'        => __( 'klite.js URL', 'klite' ),
		'endpoint'   => __( 'Endpoint', 'klite' ),
	);
	foreach ( $fields as $field => $label ) {
		add_settings_field( 'klite_' . $field, $label, 'klite_field_' . $field, 'klite', 'klite_main', array( 'label_for' => 'klite_' . $field ) );
	}
}

/** Settings → klite (admin_menu). */
function klite_add_settings_page() {
	add_options_page( __( 'klite', 'klite' ), __( 'klite', 'klite' ), 'manage_options', 'klite', 'klite_settings_page' );
}

/**
 * Keeps what is valid of a submitted form. A private key is refused and never stored or printed
 * back (Klaviyo's private keys must not reach a browser); a malformed key is refused too. Either
 * way the key saved before stays.
 *
 * @param mixed $input The submitted values.
 * @return array
 */
function klite_sanitize_settings( $input ) {
	$old   = klite_settings();
	$input = is_array( $input ) ? $input : array();
	$out   = klite_defaults();

	$key = isset( $input['company_id'] ) ? trim( (string) $input['company_id'] ) : '';
	$why = '' === $key ? '' : klite_check_key( $key );
	if ( 'private' === $why ) {
		add_settings_error( 'klite_settings', 'klite_private_key', __( 'That is a private API key (pk_…): it must never be used in a browser. It was not saved. Rotate it in Klaviyo (Settings → API keys) and enter your public key (site ID, 6 letters and digits).', 'klite' ) );
		$key = $old['company_id'];
	} elseif ( 'invalid' === $why ) {
		add_settings_error( 'klite_settings', 'klite_invalid_key', __( 'A public API key (site ID) is 6 letters and digits. The key was not changed.', 'klite' ) );
		$key = $old['company_id'];
	}
	$out['company_id'] = $key;

	$out['consent'] = isset( $input['consent'] ) && 'pending' === $input['consent'] ? 'pending' : 'granted';

	// Checkboxes: a kind left unchecked is off. The form always posts `captures_sent`, so a form
	// with every box unchecked is told from a save that did not include the field.
	$on         = isset( $input['captures'] ) && is_array( $input['captures'] ) ? array_map( 'strval', $input['captures'] ) : array();
	$out['off'] = isset( $input['captures_sent'] ) ? array_values( array_diff( KLITE_CAPTURES, $on ) ) : $old['off'];

	foreach ( array( 'src', 'endpoint' ) as $url ) {
		$value = isset( $input[ $url ] ) ? trim( (string) $input[ $url ] ) : '';
		// An absolute http(s) URL, or a path on this site (first-party mode through klite's proxy).
		$out[ $url ] = '' === $value || '/' === $value[0] ? esc_url_raw( $value ) : esc_url_raw( $value, array( 'https', 'http' ) );
	}
	return $out;
}

/** The section's introduction. */
function klite_section_text() {
	echo '<p>' . esc_html__( 'Each setting means what the same option means on klite\'s script tag (see klite\'s README, "Options"). Nothing is added to your pages until a valid public key is saved.', 'klite' ) . '</p>';
}

/** The key field. */
function klite_field_company_id() {
	printf(
		'<input type="text" id="klite_company_id" name="klite_settings[company_id]" value="%s" class="regular-text" pattern="[A-Za-z0-9]{6}" autocomplete="off"><p class="description">%s</p>',
		esc_attr( klite_settings()['company_id'] ),
		esc_html__( 'Your public key (site ID): 6 letters and digits. Never a private key (pk_…).', 'klite' )
	);
}

/** The consent field. */
function klite_field_consent() {
	$consent = klite_settings()['consent'];
	echo '<select id="klite_consent" name="klite_settings[consent]">';
	printf( '<option value="granted"%s>%s</option>', selected( $consent, 'granted', false ), esc_html__( 'granted: track until told otherwise (the default)', 'klite' ) );
	printf( '<option value="pending"%s>%s</option>', selected( $consent, 'pending', false ), esc_html__( 'pending: wait for the visitor\'s consent', 'klite' ) );
	echo '</select>';
}

/** The captures' checkboxes. */
function klite_field_captures() {
	$off = klite_settings()['off'];
	echo '<input type="hidden" name="klite_settings[captures_sent]" value="1">';
	foreach ( KLITE_CAPTURES as $kind ) {
		printf(
			'<label><input type="checkbox" name="klite_settings[captures][]" value="%1$s"%2$s> %1$s</label><br>',
			esc_attr( $kind ),
			checked( ! in_array( $kind, $off, true ), true, false )
		);
	}
}

/** The script URL field. */
function klite_field_src() {
	printf(
		'<input type="url" id="klite_src" name="klite_settings[src]" value="%s" class="regular-text" placeholder="%s">',
		esc_attr( klite_settings()['src'] ),
		esc_attr( 'https://cdn.jsdelivr.net/npm/klite@' . KLITE_VERSION . '/dist/klite.js' )
	);
}

/** The endpoint field. */
function klite_field_endpoint() {
	printf(
		'<input type="text" id="klite_endpoint" name="klite_settings[endpoint]" value="%s" class="regular-text" placeholder="https://a.klaviyo.com">',
		esc_attr( klite_settings()['endpoint'] )
	);
}

/** The page. */
function klite_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1><form action="options.php" method="post">';
	settings_fields( 'klite' );
	do_settings_sections( 'klite' );
	submit_button();
	echo '</form></div>';
}
