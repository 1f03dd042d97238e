/* Site search (replaces Material's): one index per language (search/<lang>.json, real text split into the pages'
   sections), fetched only when the reader opens search. Matching works on a copy of the text folded character
   by character (lower case, no diacritics, đ -> d), so "nhan luc so" finds "Nhân lực số" and every position in
   the folded copy is the same position in the real text: snippets and highlights show the real words.
   Markup: the <dialog id="mb-search"> and <template id="mb-search-open"> of site_src/overrides/partials/mb-search.html. */
(function () {
  "use strict";
  var MAX_PAGES = 15, SNIPPET = 180, WORD = /[\p{L}\p{N}]+/gu;
  var dialog, input, status, list, words, state = null, loading = null, timer = null, opener = null, returnTo = null;
  var cache = Object.create(null);

  function foldChar(c) {
    var f = cache[c];
    if (f !== undefined) return f;
    if (c === "\u0111" || c === "\u0110") f = "d";
    else {
      f = c.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
      if (f.length !== 1) { f = c.toLowerCase(); if (f.length !== 1) f = c; }
    }
    cache[c] = f;
    return f;
  }
  function fold(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) out += foldChar(s[i]);
    return out;
  }
  function tokens(folded) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(folded))) out.push({ w: m[0], s: m.index, e: m.index + m[0].length });
    return out;
  }
  function prepare(data) {
    var pages = data.pages.map(function (p, i) { return { url: p[0], title: p[1], order: i }; });
    var docs = data.docs.map(function (d) {
      var heading = d[2].normalize("NFC"), text = d[3].normalize("NFC");
      return { page: pages[d[0]], anchor: d[1], heading: heading, text: text,
               h: tokens(fold(heading)), x: tokens(fold(text)) };
    });
    var count = docs.reduce(function (a, d) { return a + d.x.length; }, 0);
    return { pages: pages, docs: docs, avg: Math.max(1, count / Math.max(1, docs.length)) };
  }

  /* how often each term occurs in a list of tokens, exactly and as the start of a longer word, and where */
  function scan(toks, terms, hits) {
    var exact = terms.map(function () { return 0; }), prefix = exact.slice(), phrase = 0;
    for (var i = 0; i < toks.length; i++) {
      var w = toks[i].w;
      for (var t = 0; t < terms.length; t++) {
        if (w === terms[t]) { exact[t]++; if (hits) hits.push({ s: toks[i].s, e: toks[i].e }); }
        else if (w.length > terms[t].length && w.lastIndexOf(terms[t], 0) === 0) {
          prefix[t]++; if (hits) hits.push({ s: toks[i].s, e: toks[i].s + terms[t].length });
        }
      }
      if (terms.length > 1 && i + terms.length <= toks.length) {
        var ok = true;
        for (var k = 0; k < terms.length && ok; k++) {
          var x = toks[i + k].w, q = terms[k];
          ok = x === q || (k === terms.length - 1 && x.lastIndexOf(q, 0) === 0);
        }
        if (ok) {
          phrase++;
          if (hits) {
            var last = toks[i + terms.length - 1], q2 = terms[terms.length - 1];
            (hits.phrases = hits.phrases || []).push({ s: toks[i].s, e: last.w === q2 ? last.e : last.s + q2.length });
          }
        }
      }
    }
    return { exact: exact, prefix: prefix, phrase: phrase };
  }
  function sameWords(toks, terms) {
    if (toks.length !== terms.length) return false;
    for (var i = 0; i < terms.length; i++) if (toks[i].w !== terms[i]) return false;
    return true;
  }
  /* a typed word with diacritics counts a little more where the text has the very same letters */
  function accentBonus(doc, raw) {
    var bonus = 0, text = (doc.heading + " " + doc.text).toLowerCase();
    raw.forEach(function (w) { if (fold(w) !== w && text.indexOf(w) >= 0) bonus += 0.05; });
    return bonus;
  }
  function saturate(tf, norm) { return tf * 2.2 / (tf + 1.2 * norm); }

  /* BM25 over sections (every typed word must occur; a word that starts a longer one counts half), plus the
     typed words in their order (the phrase) and a heading that is exactly the query */
  function search(query) {
    query = query.normalize("NFC");  // letters typed as base + combining marks (some keyboards) fold the same
    var raw = (query.toLowerCase().match(WORD) || []);
    var terms = tokens(fold(query)).map(function (t) { return t.w; });
    if (terms.join("").length < 2) return null;
    var found = [], df = terms.map(function () { return 0; }), n = state.docs.length;
    state.docs.forEach(function (doc) {
      var h = scan(doc.h, terms), x = scan(doc.x, terms), all = true;
      for (var t = 0; t < terms.length; t++) {
        var any = h.exact[t] + h.prefix[t] + x.exact[t] + x.prefix[t] > 0;
        if (any) df[t]++;
        all = all && any;
      }
      if (all) found.push({ doc: doc, h: h, x: x });
    });
    var idf = df.map(function (d) { return Math.log(1 + (n - d + 0.5) / (d + 0.5)); });
    var sumIdf = idf.reduce(function (a, b) { return a + b; }, 0);
    var byPage = new Map();
    found.forEach(function (f) {
      var doc = f.doc, norm = 0.25 + 0.75 * doc.x.length / state.avg, s = 0;
      for (var t = 0; t < terms.length; t++) {
        s += idf[t] * saturate(f.x.exact[t] + 0.5 * f.x.prefix[t], norm);
        s += idf[t] * (f.h.exact[t] ? 2 : f.h.prefix[t] ? 1 : 0);
      }
      if (terms.length > 1) s += sumIdf * (saturate(f.x.phrase, norm) + (f.h.phrase ? 2 : 0));
      if (sameWords(doc.h, terms)) s += sumIdf * (doc.anchor ? 2 : 4);  // a section, or better a page, named so
      s += accentBonus(doc, raw);
      var r = byPage.get(doc.page);
      if (!r) byPage.set(doc.page, r = { page: doc.page, best: doc, top: s, rest: 0 });
      else if (s > r.top) { r.rest += r.top; r.best = doc; r.top = s; }
      else r.rest += s;
    });
    var out = Array.from(byPage.values());
    out.forEach(function (r) { r.score = r.top + Math.min(0.1 * r.rest, sumIdf); });
    out.sort(function (a, b) { return b.score - a.score || a.page.order - b.page.order; });
    return { terms: terms, results: out };
  }

  /* the real text around the first match (the phrase if it occurs), matched words marked */
  function snippet(doc, terms) {
    var hits = [];
    scan(doc.x, terms, hits);
    var text = doc.text, frag = document.createDocumentFragment();
    if (!text) return frag;
    if (hits.phrases) hits = hits.phrases;  // the words in their order: mark those, not every lone word
    var at = hits.length ? hits[0].s : 0;
    var start = Math.max(0, at - 50), end;
    if (start > 0) { var sp = text.indexOf(" ", start); start = sp >= 0 && sp < at ? sp + 1 : start; }
    end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) { var sp2 = text.lastIndexOf(" ", end); end = sp2 > at ? sp2 : end; }
    hits = hits.slice().filter(function (r) { return r.s >= start && r.e <= end; }).sort(function (a, b) { return a.s - b.s; });
    var pos = start;
    if (start > 0) frag.append("\u2026 ");
    hits.forEach(function (r) {
      if (r.s < pos) return;
      frag.append(text.slice(pos, r.s));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r.s, r.e);
      frag.append(mark);
      pos = r.e;
    });
    frag.append(text.slice(pos, end));
    if (end < text.length) frag.append(" \u2026");
    return frag;
  }

  function say(key, values) {
    var text = words[key] || "";
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    status.textContent = text;
  }
  function render() {
    var query = input.value.trim();
    list.replaceChildren();
    if (!state) return;
    var found = search(query);
    if (!found) { say("hint"); return; }
    var n = found.results.length;
    say(n === 0 ? "none" : n === 1 ? "one" : "many", { count: n, query: query });
    var root = dialog.getAttribute("data-root");
    found.results.slice(0, MAX_PAGES).forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), p;
      li.className = "mb-search__result";
      a.href = new URL(r.page.url + (r.best.anchor ? "#" + r.best.anchor : ""), new URL(root, location.href)).href;
      a.textContent = r.page.title + (r.best.anchor && r.best.heading ? " \u203a " + r.best.heading : "");
      li.append(a);
      if (r.best.text) {
        p = document.createElement("p");
        p.className = "mb-search__snippet";
        p.append(snippet(r.best, found.terms));
        li.append(p);
      }
      list.append(li);
    });
  }
  function load() {
    if (state || loading) return loading;
    say("loading");
    loading = fetch(dialog.getAttribute("data-index"))
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { state = prepare(data); loading = null; render(); })
      .catch(function () { loading = null; say("failed"); });
    return loading;
  }

  function open() {
    if (dialog.open) return;
    var before = document.activeElement;
    returnTo = before && before !== document.body && before !== dialog ? before : opener;
    dialog.showModal();
    input.focus();
    input.select();
    if (state) render(); else load();
  }
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  function onKey(ev) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && all.length) {
      ev.preventDefault();
      all[Math.min(i + 1, all.length - 1)].focus();
    } else if (ev.key === "ArrowUp" && i >= 0) {
      ev.preventDefault();
      (i === 0 ? input : all[i - 1]).focus();
    }
  }
  function typing(el) {
    return el && (el.isContentEditable || /^(input|textarea|select)$/i.test(el.tagName));
  }

  function init() {
    dialog = document.getElementById("mb-search");
    var tpl = document.getElementById("mb-search-open");
    var bar = document.querySelector(".md-header__inner");
    if (!dialog || !tpl || !bar || typeof dialog.showModal !== "function") return;
    words = {};
    Object.keys(dialog.dataset).forEach(function (k) {  // data-w-close="..." -> words.close
      if (/^w[A-Z]/.test(k)) words[k.charAt(1).toLowerCase() + k.slice(2)] = dialog.dataset[k];
    });
    input = dialog.querySelector("input[type=search]");
    status = dialog.querySelector(".mb-search__status");
    list = dialog.querySelector(".mb-search__results");
    opener = tpl.content.firstElementChild.cloneNode(true);
    bar.insertBefore(opener, bar.querySelector(".md-header__source"));
    opener.addEventListener("click", open);
    dialog.querySelector(".mb-search__close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (ev) { if (ev.target === dialog) dialog.close(); });
    dialog.addEventListener("keydown", onKey);
    // back to where the reader was; opened with "/" from the page itself, to the search button
    dialog.addEventListener("close", function () { if (returnTo && returnTo.isConnected) returnTo.focus(); });
    dialog.querySelector("form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var first = links()[0];
      if (first) location.href = first.href;
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, 60);
    });
    document.addEventListener("keydown", function (ev) {
      if ((ev.key === "/" || ev.key === "s") && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !dialog.open &&
          !typing(document.activeElement)) {
        ev.preventDefault();
        open();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
