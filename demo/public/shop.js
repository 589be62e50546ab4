// The demo shop's own code (a merchant's, not klite's): a cart in localStorage, the header, and
// the newsletter form, which identifies the visitor the way Klaviyo's docs show.
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
   * A product page's tracking, as a merchant's theme renders it on every product (the snippet
   * Klaviyo's docs show): Viewed Product, the recently viewed item, and Added to Cart on the form.
   */
  window.demoProduct = function (item) {
    klaviyo.track('Viewed Product', item);
    klaviyo.trackViewedItem({ Title: item.ProductName, ItemId: item.ProductID, Categories: item.Categories, ImageUrl: item.ImageURL, Url: item.URL, Metadata: { Brand: item.Brand, Price: item.Price, CompareAtPrice: item.CompareAtPrice } });
    document.addEventListener('DOMContentLoaded', function () {
      document.getElementById('add-to-cart').addEventListener('submit', function () {
        var qty = +this.quantity.value || 1;
        var items = demoCart.add({ ProductID: item.ProductID, SKU: item.SKU, ProductName: item.ProductName, Quantity: qty, ItemPrice: item.Price, RowTotal: item.Price * qty, ProductURL: item.URL, ImageURL: item.ImageURL, ProductCategories: item.Categories });
        klaviyo.track('Added to Cart', {
          $value: items.reduce(function (s, i) { return s + i.RowTotal; }, 0),
          AddedItemProductName: item.ProductName, AddedItemProductID: item.ProductID, AddedItemSKU: item.SKU, AddedItemCategories: item.Categories,
          AddedItemImageURL: item.ImageURL, AddedItemURL: item.URL, AddedItemPrice: item.Price, AddedItemQuantity: qty,
          ItemNames: items.map(function (i) { return i.ProductName; }), CheckoutURL: location.origin + '/checkout', Items: items,
        });
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
