/**
 * The one script member pages load (`/assets/members.js`, same origin, so the CSP allows it):
 * upvote forms are sent with fetch and the count updates without a reload. Without JavaScript
 * the same forms post and redirect back.
 */
export const MEMBERS_SCRIPT = `(() => {
  'use strict';
  function label(n, on) { return (on ? 'Remove your upvote' : 'Upvote') + ' (' + n + ' ' + (n === 1 ? 'upvote' : 'upvotes') + ')'; }
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upvote')) return;
    event.preventDefault();
    const button = form.querySelector('button');
    const value = form.querySelector('input[name="value"]');
    const token = form.querySelector('input[name="_csrf"]');
    if (!button || !value || !token || button.disabled) return;
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'x-csrf-token': token.value },
        body: new URLSearchParams(new FormData(form)),
      });
      if (response.status === 401) { window.location.href = '/signin?next=' + encodeURIComponent(location.pathname); return; }
      const data = await response.json().catch(() => null);
      if (!response.ok || !data) { button.title = (data && data.error && data.error.message) || 'Could not save your vote'; return; }
      value.value = data.upvoted ? '0' : '1';
      button.setAttribute('aria-pressed', data.upvoted ? 'true' : 'false');
      button.setAttribute('aria-label', label(data.upvotes, data.upvoted));
      const count = form.querySelector('[data-upvote-count]');
      if (count) count.textContent = String(data.upvotes);
    } catch {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
})();
`;
