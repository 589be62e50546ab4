// The demo shop's own code (a merchant's, not klite's): a cart in localStorage, the header, and
// the newsletter form, which identifies the visitor the way Klaviyo's docs show (klite would also
// identify from the email field on its own). Everything else is auto-captured by klite.
(function () {
  var cart = function () { try { return JSON.parse(localStorage.getItem('demo:cart')) || []; } catch (e) { return []; } };
  window.demoCart = {
    items: cart,
    add: function (item) {
      var items = cart();
      var found = items.filter(function (i) { return i.ProductID === item.ProductID; })[0];
      if (found) found.Quantity += item.Quantity; else items.push(item);
      localStorage.setItem('demo:cart', JSON.stringify(items));
      return items;
    },
    clear: function () { localStorage.removeItem('demo:cart'); },
  };
  /**
   * A product page's cart line: the form adds it to the shop's own cart before posting to
   * /cart/add. There is no tracking code here: klite captures Viewed Product from the page's
   * JSON-LD or microdata, and Added to Cart from the form's submit.
   */
  window.demoProduct = function (item) {
    document.addEventListener('DOMContentLoaded', function () {
      document.getElementById('add-to-cart').addEventListener('submit', function () {
        var qty = +this.quantity.value || 1;
        demoCart.add({ ProductID: item.ProductID, SKU: item.SKU, ProductName: item.ProductName, Quantity: qty, ItemPrice: item.Price, RowTotal: item.Price * qty, ProductURL: item.URL, ImageURL: item.ImageURL, ProductCategories: item.Categories });
      });
    });
  };
  document.addEventListener('DOMContentLoaded', function () {
    var count = cart().reduce(function (n, i) { return n + i.Quantity; }, 0);
    var badge = document.getElementById('cart-count');
    if (badge) badge.textContent = count;
    var newsletter = document.getElementById('newsletter');
    if (newsletter) newsletter.addEventListener('submit', function (e) {
      e.preventDefault();
      klaviyo.identify({ email: newsletter.email.value, $source: 'Newsletter form' }).then(function () {
        newsletter.innerHTML = '<p>Thanks, you are subscribed.</p>';
      });
    });
  });
})();
