___TERMS_OF_SERVICE___

By creating or modifying this file you agree to Google Tag Manager's Community
Template Gallery Developer Terms of Service available at
https://developers.google.com/tag-manager/gallery-tos (or such other URL as
Google may provide), as modified from time to time.


___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "klite - Klaviyo tracking",
  "categories": ["ANALYTICS", "EMAIL_MARKETING"],
  "brand": {
    "id": "brand_dummy",
    "displayName": "klite"
  },
  "description": "Loads klite, a small tracker for Klaviyo's client API (identify, events, viewed products, carts, checkouts), and tracks events with properties from your variables. Needs your public API key.",
  "containerContexts": ["WEB"]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "SELECT",
    "name": "tagType",
    "displayName": "Tag type",
    "macrosInSelect": false,
    "selectItems": [
      { "value": "load", "displayValue": "Load klite" },
      { "value": "track", "displayValue": "Track an event" }
    ],
    "simpleValueType": true,
    "defaultValue": "load",
    "help": "Load klite: on every page (trigger: Initialization - All Pages). Track an event: queues the event through _learnq, so it may fire before klite has loaded; it loads klite too if no klite tag has yet on this page."
  },
  {
    "type": "TEXT",
    "name": "companyId",
    "displayName": "Public API key (site ID)",
    "simpleValueType": true,
    "alwaysInSummary": true,
    "help": "Your Klaviyo public API key: 6 letters or digits (Settings, API keys). Never a private key (pk_...): the tag refuses one. Tip: keep it in a Constant variable shared by your klite tags.",
    "valueValidators": [
      { "type": "NON_EMPTY" },
      {
        "type": "REGEX",
        "args": ["^([A-Za-z0-9]{6}|\\{\\{[^}]+\\}\\})$"],
        "errorMessage": "The public API key (site ID) is 6 letters or digits. A private key (pk_...) must never be put in a tag."
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "eventName",
    "displayName": "Event name (metric)",
    "simpleValueType": true,
    "alwaysInSummary": true,
    "help": "The Klaviyo metric, e.g. Viewed Category or Signed Up.",
    "enablingConditions": [{ "paramName": "tagType", "paramValue": "track", "type": "EQUALS" }],
    "valueValidators": [{ "type": "NON_EMPTY" }]
  },
  {
    "type": "SIMPLE_TABLE",
    "name": "properties",
    "displayName": "Event properties",
    "newRowButtonText": "Add property",
    "help": "Each row is one property of the event; the value may be a variable. $value is the event's value, $event_id its unique id.",
    "enablingConditions": [{ "paramName": "tagType", "paramValue": "track", "type": "EQUALS" }],
    "simpleTableColumns": [
      {
        "type": "TEXT",
        "name": "name",
        "displayName": "Property",
        "defaultValue": "",
        "isUnique": true,
        "valueValidators": [{ "type": "NON_EMPTY" }]
      },
      {
        "type": "TEXT",
        "name": "value",
        "displayName": "Value",
        "defaultValue": ""
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "email",
    "displayName": "Identify by email (optional)",
    "simpleValueType": true,
    "help": "A variable holding the visitor's email, when known: klite identifies the visitor before the event.",
    "enablingConditions": [{ "paramName": "tagType", "paramValue": "track", "type": "EQUALS" }]
  },
  {
    "type": "SELECT",
    "name": "consent",
    "displayName": "Consent before any signal",
    "macrosInSelect": false,
    "selectItems": [
      { "value": "granted", "displayValue": "granted (klite's default)" },
      { "value": "pending", "displayValue": "pending: hold everything until consent is given" }
    ],
    "simpleValueType": true,
    "defaultValue": "granted",
    "help": "klite's consent option. Google Consent Mode (analytics_storage), TCF and Shopify's API are obeyed either way. Used by the first klite tag to fire on a page."
  },
  {
    "type": "GROUP",
    "name": "captures",
    "displayName": "Auto-capture",
    "groupStyle": "ZIPPY_CLOSED",
    "help": "What klite records by itself (all on by default). Used by the first klite tag to fire on a page.",
    "subParams": [
      {
        "type": "CHECKBOX",
        "name": "capture_activity",
        "checkboxText": "Active on Site (page views)",
        "simpleValueType": true,
        "defaultValue": true
      },
      {
        "type": "CHECKBOX",
        "name": "capture_product",
        "checkboxText": "Viewed Product",
        "simpleValueType": true,
        "defaultValue": true
      },
      {
        "type": "CHECKBOX",
        "name": "capture_cart",
        "checkboxText": "Added to Cart",
        "simpleValueType": true,
        "defaultValue": true
      },
      {
        "type": "CHECKBOX",
        "name": "capture_checkout",
        "checkboxText": "Started Checkout",
        "simpleValueType": true,
        "defaultValue": true
      },
      {
        "type": "CHECKBOX",
        "name": "capture_forms",
        "checkboxText": "Identify from submitted forms",
        "simpleValueType": true,
        "defaultValue": true
      }
    ]
  },
  {
    "type": "GROUP",
    "name": "advanced",
    "displayName": "Advanced",
    "groupStyle": "ZIPPY_CLOSED",
    "subParams": [
      {
        "type": "TEXT",
        "name": "scriptUrl",
        "displayName": "Script URL",
        "simpleValueType": true,
        "defaultValue": "https://cdn.jsdelivr.net/npm/klite@0.1.0/dist/klite.js",
        "help": "Where klite.js is served: this version on jsDelivr by default. For your own host, also add it to the template's Injects scripts permission (see the template's README).",
        "valueValidators": [
          { "type": "NON_EMPTY" },
          { "type": "REGEX", "args": ["^https://\\S+$"], "errorMessage": "An https URL." }
        ]
      },
      {
        "type": "TEXT",
        "name": "endpoint",
        "displayName": "Endpoint (optional)",
        "simpleValueType": true,
        "help": "Where klite sends: https://a.klaviyo.com by default; a path on your site (e.g. /kl) for first-party delivery through klite's proxy.",
        "valueValidators": [
          {
            "type": "REGEX",
            "args": ["^(|https://\\S+|/\\S*)$"],
            "errorMessage": "An https origin, or a path on your site such as /kl."
          }
        ]
      }
    ]
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

// klite for Google Tag Manager. Every field means what the same option means on klite's script
// tag (https://www.npmjs.com/package/klite#options) and goes into the script URL, where klite
// reads it. Events go through _learnq, which klite reads before and after it has loaded: the
// sandbox cannot use the klaviyo stub (a Proxy), and needs no callback from the page.
var createQueue = require('createQueue');
var encodeUriComponent = require('encodeUriComponent');
var getType = require('getType');
var injectScript = require('injectScript');
var logToConsole = require('logToConsole');
var makeTableMap = require('makeTableMap');
var queryPermission = require('queryPermission');

// As on klite's script tag: this version on jsDelivr, every capture on, consent granted.
var DEFAULT_SRC = 'https://cdn.jsdelivr.net/npm/klite@0.1.0/dist/klite.js';
var CAPTURES = ['activity', 'product', 'cart', 'checkout', 'forms'];
var KEY_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// A refusal is one console line and a failed tag; nothing is loaded or queued.
function refuse(message) {
  logToConsole('klite: ' + message);
  data.gtmOnFailure();
}

function text(value) {
  return getType(value) === 'string' ? value.trim() : '';
}

// 6 letters or digits (the sandbox has no regular expressions).
function isPublicKey(key) {
  if (key.length !== 6) return false;
  for (var i = 0; i < key.length; i++) {
    if (KEY_CHARACTERS.indexOf(key.charAt(i)) < 0) return false;
  }
  return true;
}

var key = text(data.companyId);
// A private key put in a tag is in the published container already: say so, never use it.
if (key.slice(0, 3).toLowerCase() === 'pk_') {
  return refuse('a private API key (pk_...) is in this tag: it must never reach a browser. Use the public key (site ID), and rotate the private one. Nothing was loaded or sent.');
}
if (!isPublicKey(key)) {
  return refuse('"' + key + '" is not a public API key (site ID: 6 letters or digits). Nothing was loaded or sent.');
}

// The options in the order `npx klite snippet` writes them.
var src = text(data.scriptUrl) || DEFAULT_SRC;
var url = src + (src.indexOf('?') < 0 ? '?' : '&') + 'company_id=' + encodeUriComponent(key);
if (data.consent === 'pending') url = url + '&consent=pending';
var endpoint = text(data.endpoint);
if (endpoint) url = url + '&endpoint=' + encodeUriComponent(endpoint);
var off = CAPTURES.filter(function (kind) {
  return data['capture_' + kind] === false;
});
if (off.length) url = url + '&no_capture=' + encodeUriComponent(off.join(','));

// The template's permissions are fixed: a host not under "Injects scripts" is refused here, with
// the way out, rather than by the sandbox's error.
if (!queryPermission('inject_script', url)) {
  return refuse(src + ' is not allowed by this template\'s "Injects scripts" permission: add its host there (see the template\'s README). Nothing was loaded or sent.');
}

if (data.tagType === 'track') {
  var metric = text(data.eventName);
  if (!metric) return refuse('this event tag has no event name. Nothing was sent.');
  var learnq = createQueue('_learnq');
  var email = text(data.email);
  if (email) learnq(['identify', { email: email }]);
  learnq(['track', metric, makeTableMap(data.properties || [], 'name', 'value') || {}]);
}

// One klite per page, from whichever klite tag fires first (one cacheToken); the tag succeeds
// once the script has loaded, and fails if it cannot.
injectScript(url, data.gtmOnSuccess, data.gtmOnFailure, 'klite');


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {
        "publicId": "inject_script",
        "versionId": "1"
      },
      "param": [
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://cdn.jsdelivr.net/npm/klite@*"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_globals",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keys",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "_learnq"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "logging",
        "versionId": "1"
      },
      "param": [
        {
          "key": "environments",
          "value": {
            "type": 1,
            "string": "all"
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: Load - injects klite with the key in its URL, succeeds when it has loaded
  code: |-
    runCode(mockData);
    assertThat(injected).isEqualTo(['https://cdn.jsdelivr.net/npm/klite@0.1.0/dist/klite.js?company_id=AbC123']);
    assertApi('createQueue').wasNotCalled();
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: Load - consent, endpoint and captures turned off go into the URL
  code: |-
    mockData.consent = 'pending';
    mockData.endpoint = '/kl';
    mockData.capture_cart = false;
    mockData.capture_forms = false;
    runCode(mockData);
    assertThat(injected).isEqualTo(['https://cdn.jsdelivr.net/npm/klite@0.1.0/dist/klite.js?company_id=AbC123&consent=pending&endpoint=%2Fkl&no_capture=cart%2Cforms']);
- name: Load - a script that fails to load fails the tag
  code: |-
    mock('injectScript', function (url, onSuccess, onFailure) {
      onFailure();
    });
    runCode(mockData);
    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: A private key is refused - one console line, nothing loaded or queued
  code: |-
    mockData.companyId = 'pk_live_0123456789abcdef';
    runCode(mockData);
    assertThat(lines).hasLength(1);
    assertApi('injectScript').wasNotCalled();
    assertApi('createQueue').wasNotCalled();
    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
- name: A malformed key is refused
  code: |-
    mockData.companyId = 'AbC12';
    runCode(mockData);
    assertThat(lines).hasLength(1);
    assertApi('injectScript').wasNotCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: A script host outside the Injects scripts permission is refused
  code: |-
    mockData.scriptUrl = 'https://static.example.com/klite.js';
    runCode(mockData);
    assertThat(lines).hasLength(1);
    assertApi('injectScript').wasNotCalled();
    assertApi('gtmOnFailure').wasCalled();
- name: Track - queues identify then the event with its mapped properties, and loads klite
  code: |-
    mockData.tagType = 'track';
    mockData.eventName = 'Viewed Category';
    mockData.properties = [{ name: 'Category', value: 'Shoes' }, { name: '$value', value: 42 }];
    mockData.email = 'sarah@example.com';
    runCode(mockData);
    assertApi('createQueue').wasCalledWith('_learnq');
    assertThat(queued).isEqualTo([
      ['identify', { email: 'sarah@example.com' }],
      ['track', 'Viewed Category', { Category: 'Shoes', $value: 42 }]
    ]);
    assertThat(injected).hasLength(1);
    assertApi('gtmOnSuccess').wasCalled();
- name: Track - an event without properties or email
  code: |-
    mockData.tagType = 'track';
    mockData.eventName = 'Signed Up';
    runCode(mockData);
    assertThat(queued).isEqualTo([['track', 'Signed Up', {}]]);
- name: Track - an event without a name is refused, nothing queued
  code: |-
    mockData.tagType = 'track';
    mockData.eventName = '';
    runCode(mockData);
    assertApi('createQueue').wasNotCalled();
    assertApi('injectScript').wasNotCalled();
    assertApi('gtmOnFailure').wasCalled();
setup: |-
  var mockData = {
    tagType: 'load',
    companyId: 'AbC123',
    consent: 'granted',
    capture_activity: true,
    capture_product: true,
    capture_cart: true,
    capture_checkout: true,
    capture_forms: true,
    scriptUrl: 'https://cdn.jsdelivr.net/npm/klite@0.1.0/dist/klite.js',
    endpoint: ''
  };
  var injected = [];
  var queued = [];
  var lines = [];
  mock('injectScript', function (url, onSuccess) {
    injected.push(url);
    onSuccess();
  });
  mock('createQueue', function (name) {
    return function (entry) {
      queued.push(entry);
    };
  });
  mock('logToConsole', function (line) {
    lines.push(line);
  });


___NOTES___

klite for Google Tag Manager: see README.md beside this file. Every field is one of klite's
script-tag options (https://www.npmjs.com/package/klite#options), with the same default.
