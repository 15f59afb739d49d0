/**
 * Search-as-you-type for the header search box (served as /assets/search.js). Without it the
 * box is a plain GET form; with it, typing shows completions of the typed words (a search) and
 * up to six titles holding every typed word, from /api/v1/suggest (words only, never a full
 * search), navigable with the arrow keys; Enter opens one, Escape closes the list.
 * Plain ES2017, no dependencies, no inline script (the CSP forbids those).
 */
export const SEARCH_SCRIPT = `(function () {
  var form = document.querySelector('form[data-suggest]');
  if (!form || !window.fetch) return;
  var input = form.querySelector('input[name=q]');
  var list = form.querySelector('.suggestions');
  var timer = null, seq = 0, active = -1;
  function close() { list.hidden = true; list.innerHTML = ''; active = -1; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); }
  function mark(i) {
    var items = list.querySelectorAll('a');
    if (!items.length) return;
    active = (i + items.length) % items.length;
    for (var k = 0; k < items.length; k++) items[k].setAttribute('aria-selected', k === active ? 'true' : 'false');
    input.setAttribute('aria-activedescendant', items[active].id);
  }
  function show(body) {
    list.innerHTML = '';
    var items = (body.completions || []).slice(0, 3).map(function (c) { return { href: '/search?q=' + encodeURIComponent(c), text: c, search: true }; })
      .concat((body.suggestions || []).map(function (r) { return { href: '/papers/' + r.arxivId, text: r.title }; }));
    if (!items.length) { close(); return; }
    items.forEach(function (r, i) {
      var li = document.createElement('li');
      li.setAttribute('role', 'presentation');
      var a = document.createElement('a');
      a.href = r.href;
      a.id = 'suggestion-' + i;
      a.setAttribute('role', 'option');
      a.setAttribute('aria-selected', 'false');
      if (r.search) a.className = 'completion';
      a.textContent = r.search ? 'Search: ' + r.text : r.text;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch('/api/v1/suggest?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (body) { if (mine === seq) show(body); })
        .catch(function () { close(); });
    }, 180);
  });
  input.addEventListener('keydown', function (e) {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); mark(active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); mark(active - 1); }
    else if (e.key === 'Escape') { close(); }
    else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); list.querySelectorAll('a')[active].click(); }
  });
  document.addEventListener('click', function (e) { if (!form.contains(e.target)) close(); });
})();
`;
