/**
 * Digest and confirmation emails: an HTML part (table layout and inline CSS for common mail
 * clients, a `prefers-color-scheme` block and `color-scheme` meta for dark mode) and a plain-text
 * part. A digest is prepared once per list and period and then personalized per subscriber by
 * splicing in their links, so composing 10,000 digests costs little more than sending them.
 */
import { randomBytes } from 'node:crypto';
import { digestSubject, type DigestContent } from '../domain/digest.js';
import { DEFAULT_WEEKDAY, WEEKDAY_NAMES, type Schedule } from '../domain/digest-period.js';
import { addDays } from '../domain/civil-date.js';
import { describeList, type DigestList } from '../domain/subscription.js';

export interface DigestLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface PreparedDigest {
  readonly subject: string;
  /** How many papers the digest lists. */
  readonly entries: number;
  personalize(email: string, links: DigestLinks): RenderedEmail;
}

const COLORS = { page: '#f4f4f1', card: '#ffffff', text: '#1d232b', muted: '#5b6470', link: '#1f5fa8', rule: '#e3e3de' };

const DARK_CSS = `:root{color-scheme:light dark;supported-color-schemes:light dark}
@media (prefers-color-scheme: dark){.pb-page{background:#15181c!important}.pb-card{background:#1d2126!important;border-color:#2c3138!important}
.pb-text{color:#e6e6e6!important}.pb-muted{color:#a9b0b8!important}.pb-link{color:#8fbdf2!important}.pb-rule{border-color:#2c3138!important}}`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** Wraps text at `width` columns, keeping words whole. */
export function wrapText(text: string, width = 72, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function shell(title: string, preheader: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(title)}</title><style>${DARK_CSS}</style></head>
<body class="pb-page" style="margin:0;padding:0;background:${COLORS.page};">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" class="pb-page" style="background:${COLORS.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" class="pb-card" style="max-width:640px;background:${COLORS.card};border:1px solid ${COLORS.rule};border-radius:8px;">
<tr><td style="padding:24px 28px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:${COLORS.text};" class="pb-text">
${body}
</td></tr></table></td></tr></table></body></html>`;
}

function periodLine(content: DigestContent): string {
  const { from, toExclusive } = content.period.content;
  return content.period.frequency === 'daily' ? `Papers published on ${from}.` : `Papers published ${from} to ${addDays(toExclusive, -1)}.`;
}

/** Renders the parts of a digest that are the same for every subscriber of a list and period. */
export function prepareDigestEmail(content: DigestContent, site: { name: string; publicUrl: string }): PreparedDigest {
  const subject = digestSubject(content);
  // A random marker cannot collide with paper text, so splicing links in is exact.
  const marker = `\u0001${randomBytes(6).toString('hex')}`;
  const M = { unsub: `${marker}u`, prefs: `${marker}p`, email: `${marker}e` };
  const listName = describeList(content.list);

  const items = content.entries
    .map((e, i) => {
      const votes = e.upvotes > 0 ? `▲ ${e.upvotes} · ` : '';
      return `<tr><td class="pb-rule" style="padding:14px 0;border-top:${i === 0 ? '0' : `1px solid ${COLORS.rule}`};">
<div style="font-size:16px;font-weight:600;line-height:1.35;"><a class="pb-link" href="${escapeHtml(e.absUrl)}" style="color:${COLORS.link};text-decoration:none;">${escapeHtml(e.title)}</a></div>
<div class="pb-muted" style="font-size:13px;color:${COLORS.muted};margin-top:2px;">${escapeHtml(e.authors)}</div>
<div style="margin-top:6px;">${escapeHtml(e.excerpt)}</div>
<div class="pb-muted" style="font-size:13px;color:${COLORS.muted};margin-top:6px;">${votes}arXiv:${escapeHtml(e.arxivId)} · <a class="pb-link" href="${escapeHtml(e.absUrl)}" style="color:${COLORS.link};">abstract</a> · <a class="pb-link" href="${escapeHtml(e.pdfUrl)}" style="color:${COLORS.link};">PDF</a></div>
</td></tr>`;
    })
    .join('\n');

  const body = `<div class="pb-muted" style="font-size:13px;color:${COLORS.muted};text-transform:uppercase;letter-spacing:.04em;">${escapeHtml(site.name)}</div>
<h1 style="font-size:20px;line-height:1.3;margin:4px 0 2px;">${escapeHtml(listName)}</h1>
<div class="pb-muted" style="font-size:13px;color:${COLORS.muted};">${escapeHtml(periodLine(content))}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin-top:12px;">${items}</table>
<div class="pb-muted pb-rule" style="font-size:12px;color:${COLORS.muted};border-top:1px solid ${COLORS.rule};padding-top:12px;margin-top:8px;">
You receive this because ${M.email} subscribed to “${escapeHtml(listName)}” on <a class="pb-link" href="${escapeHtml(site.publicUrl)}" style="color:${COLORS.link};">${escapeHtml(site.name)}</a>.<br>
<a class="pb-link" href="${M.prefs}" style="color:${COLORS.link};">Change frequency or time</a> · <a class="pb-link" href="${M.unsub}" style="color:${COLORS.link};">Unsubscribe</a>
</div>`;
  const htmlParts = shell(subject, content.entries.map((e) => e.title).slice(0, 3).join(' · '), body);

  const textItems = content.entries
    .map((e, i) => {
      const n = `${i + 1}. `;
      const pad = ' '.repeat(n.length);
      return [
        wrapText(e.title, 72, '').replace(/\n/g, `\n${pad}`).replace(/^/, n),
        wrapText(e.authors, 72, pad),
        wrapText(e.excerpt, 72, pad),
        `${pad}${e.upvotes > 0 ? `▲ ${e.upvotes} · ` : ''}${e.absUrl} · PDF ${e.pdfUrl}`,
      ].join('\n');
    })
    .join('\n\n');
  const textParts = `${listName} — ${site.name}\n${periodLine(content)}\n\n${textItems}\n\n-- \nYou receive this because ${M.email} subscribed to “${listName}” on ${site.name} (${site.publicUrl}).\nChange frequency or time: ${M.prefs}\nUnsubscribe: ${M.unsub}\n`;

  const splice = (template: string, values: Record<string, string>) => template.split(marker).map((part, i) => (i === 0 ? part : (values[part[0]!] ?? '') + part.slice(1))).join('');

  return {
    subject,
    entries: content.entries.length,
    personalize(email, links) {
      return {
        subject,
        html: splice(htmlParts, { u: escapeHtml(links.unsubscribeUrl), p: escapeHtml(links.preferencesUrl), e: escapeHtml(email) }),
        text: splice(textParts, { u: links.unsubscribeUrl, p: links.preferencesUrl, e: email }),
      };
    },
  };
}

function scheduleLine(schedule: Schedule): string {
  const hour = `${String(schedule.localHour).padStart(2, '0')}:00`;
  return `${schedule.frequency === 'daily' ? 'Every day' : `Every ${WEEKDAY_NAMES[schedule.weekday ?? DEFAULT_WEEKDAY]}`} at ${hour} (${schedule.timeZone})`;
}

/** The double opt-in mail: nothing is sent until its link is followed. */
export function renderConfirmationEmail(input: { email: string; list: DigestList; schedule: Schedule; confirmUrl: string; site: { name: string; publicUrl: string } }): RenderedEmail {
  const listName = describeList(input.list);
  const subject = `Confirm your ${input.site.name} digest: ${listName}`;
  const body = `<h1 style="font-size:20px;margin:0 0 8px;">Confirm your subscription</h1>
<p>Someone (hopefully you) asked to send <strong>${escapeHtml(listName)}</strong> to ${escapeHtml(input.email)}: ${escapeHtml(scheduleLine(input.schedule))}.</p>
<p style="margin:20px 0;"><a class="pb-link" href="${escapeHtml(input.confirmUrl)}" style="display:inline-block;background:${COLORS.link};color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600;">Confirm subscription</a></p>
<p class="pb-muted" style="font-size:13px;color:${COLORS.muted};">If you did not ask for this, ignore this message: nothing will be sent to you. The link works for 7 days.</p>`;
  const text = `Confirm your subscription\n\nSomeone (hopefully you) asked to send "${listName}" to ${input.email}: ${scheduleLine(input.schedule)}.\n\nConfirm: ${input.confirmUrl}\n\nIf you did not ask for this, ignore this message: nothing will be sent to you. The link works for 7 days.\n`;
  return { subject, html: shell(subject, `Confirm: ${listName}`, body), text };
}
