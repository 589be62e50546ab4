/*
 * klite's paste-able stub. Put it before any klaviyo.* call; pass the URL of klite.js as the
 * third argument (or null when the page has its own <script async src=".../klite.js"> tag).
 *
 * - Queues every call on window._klOnsite in klaviyo.js's own format ([method, ...args, callback]),
 *   so klite, when it runs, replays them in order.
 * - Each method returns a Promise that settles when klite runs the call, or rejects after
 *   TIMEOUT if klite never loads (the call stays queued; a rejection nobody awaits is silenced).
 * - A plain object, not a Proxy: awaiting `klaviyo` or JSON.stringify(klaviyo) queues nothing.
 * - Leaves an existing `klaviyo` (klite, or Klaviyo's own stub) alone; works in a tag manager's
 *   Custom HTML tag, where it loads klite.js itself.
 */
!(function (w, d, src) {
  var TIMEOUT = 10000;
  if (!w.klaviyo) {
    w._klOnsite = w._klOnsite || [];
    var k = (w.klaviyo = {});
    'identify track trackViewedItem account cookieDomain isIdentified flush reset consent'.split(' ').forEach(function (name) {
      k[name] = function () {
        var args = [].slice.call(arguments);
        var cb = typeof args[args.length - 1] == 'function' && args.pop();
        var p = new Promise(function (resolve, reject) {
          var timer = setTimeout(reject, TIMEOUT, Error('klite not loaded'));
          // Looked up at call time: once klite runs, _klOnsite forwards straight to it.
          w._klOnsite.push(
            [name].concat(args, [
              function (value) {
                clearTimeout(timer);
                cb && cb(value);
                resolve(value);
              },
            ]),
          );
        });
        p['catch'](function () {});
        return p;
      };
    });
    k.push = function () {
      w._klOnsite.push.apply(w._klOnsite, arguments);
    };
  }
  if (src && !w.__klite) {
    // Scripts added by script run async.
    var s = d.createElement('script');
    s.src = src;
    d.head.appendChild(s);
  }
})(window, document, 'https://cdn.example.com/klite.js?company_id=PUBLIC_KEY');
