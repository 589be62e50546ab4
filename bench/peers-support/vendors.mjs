// What the peers' own servers would answer, served by bench/peers.mjs's local server instead: the
// loader snippets as the vendors document them (only their CDN address changed to the local one),
// the settings / source config their control planes return (the shape of a project with nothing
// configured but the SDK's own destination), and RudderStack's CDN-style minified bundle.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Segment's analytics.js snippet (5.2.1), its CDN address made `url`; `_cdn` is Segment's documented override for a self-hosted/proxied CDN. */
export const segmentSnippet = (
  url,
  writeKey,
) => `!function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src="${url}/analytics.js/v1/" + key + "/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey="${writeKey}";analytics._cdn="${url}";analytics.SNIPPET_VERSION="5.2.1";
analytics.load("${writeKey}");
analytics.page();
}}();`;

/**
 * GET <cdn>/v1/projects/<writeKey>/settings, as cdn.segment.com returns it for a source with no
 * destinations: only the Segment.io integration, its apiHost the local server (`protocol` http, a
 * setting analytics-next reads for proxies). Remote metrics (sampled at 10%, flushed every 30 s,
 * so never within a bench page's life) point at the local server too.
 */
export const segmentSettings = (writeKey, url) => {
  const host = url.replace(/^https?:\/\//, '') + '/v1';
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
        versionSettings: { version: '4.4.7', componentTypes: ['browser'] },
        apiHost: host,
        protocol: 'http',
      },
    },
    plan: {
      track: { __default: { enabled: true, integrations: {} } },
      identify: { __default: { enabled: true } },
      group: { __default: { enabled: true } },
    },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0.1, host },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
};

/** Amplitude's remote config (GET <serverUrl>/<apiKey>?config_group=browser) for a project with nothing set remotely. */
export const amplitudeRemoteConfig = () => ({ configs: {} });

/** Amplitude's HTTP API V2 answer to an accepted upload (POST /2/httpapi), as a JSON string. */
export const amplitudeUploadReply = (body) =>
  JSON.stringify({
    code: 200,
    events_ingested: JSON.parse(body).events.length,
    payload_size_bytes: body.length,
    server_upload_time: Date.now(),
  });

/**
 * RudderStack's control plane (GET <configUrl>/sourceConfig/?p=…&writeKey=…) for an enabled
 * JavaScript source with no destinations (so no device-mode SDK is fetched) and stats
 * collection off (as for a source that has not opted in).
 */
export const rudderSourceConfig = (writeKey) => ({
  isHosted: true,
  source: {
    config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
    id: 'bench-source',
    name: 'bench',
    writeKey,
    workspaceId: 'bench-workspace',
    enabled: true,
    deleted: false,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    sourceDefinition: { id: 'bench-js', name: 'Javascript', displayName: 'Javascript', category: 'event stream' },
    dataplanes: {},
    destinations: [],
  },
  consentManagementMetadata: { providers: [] },
});

/**
 * The npm package of @rudderstack/analytics-js ships no CDN build (no dist/cdn, no rsa.min.js and
 * no rsa-plugins.js for its default "modern" build to fetch its plugins from), only unminified UMD
 * builds. The closest to the CDN's rsa.min.js + plugins that runs offline is the "bundled" UMD
 * (the same modern build with the plugins compiled in), minified here with terser's defaults, as
 * the CDN files are minified. Cached beside the installed package, keyed by its version.
 */
export async function rudderBundle(peersDir, version) {
  const src = `${peersDir}/node_modules/@rudderstack/analytics-js/dist/npm/modern/bundled/umd/index.js`;
  const dir = `${peersDir}/node_modules/.cache/klite-bench`;
  const out = `${dir}/rudderstack-analytics-js-${version}.min.js`;
  if (!existsSync(out)) {
    const { minify } = createRequire(`${peersDir}/package.json`)('terser');
    const { code } = await minify(readFileSync(src, 'utf8'), { compress: true, mangle: true, format: { comments: false } });
    mkdirSync(dir, { recursive: true });
    writeFileSync(out, code);
  }
  return out;
}
