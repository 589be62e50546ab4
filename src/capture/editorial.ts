/**
 * Whether the product a page shows is not the page's own because the page is editorial: a blog
 * post, a lookbook or a buying guide that embeds one product's markup. A page is editorial when its
 * JSON-LD or microdata states an article anywhere: a schema.org `@type`/`itemtype` ending in
 * `Article` or `Posting` (Article, NewsArticle, BlogPosting…). There, the product is the page's own
 * only if it states this page as its URL (the same path), as a product page's Product does when a
 * theme also marks up blog teasers. `og:type=article` is no sign: WordPress's SEO plugins say it on
 * WooCommerce's product pages too. `url`: the product's URL as its sources state it.
 */
export const notItsOwn = (doc: Document, url?: string) =>
  (doc.querySelector('[itemtype$=Article],[itemtype$=Posting]') ||
    // The JSON-LD texts, searched as one (`test` joins the list): an article's `@type` anywhere.
    /"@type":\s*"\w*(Article|Posting)"/.test(
      [...doc.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent) as never,
    )) &&
  !(url && new URL(url, location.href).pathname == location.pathname);
