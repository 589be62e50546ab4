// The names of capture/page.ts's product sources, in its order of trust (productSources): how
// `klite check` says where each field of a Viewed Product came from.
export const SOURCES = ['your extract()', 'JSON-LD', 'microdata', 'OpenGraph', 'ShopifyAnalytics.meta', 'BCData'];
