/**
 * Pages for digest subscriptions: subscribe, confirm, preferences, unsubscribe, and the admin run
 * list; plus the compact signup box other pages (home, search, "for you") embed.
 */
import type { DigestRun } from '../../domain/digest-delivery.js';
import { DEFAULT_WEEKDAY, WEEKDAY_NAMES, type Weekday } from '../../domain/digest-period.js';
import type { FieldProblem } from '../../domain/subscription.js';
import type { SubscriptionView } from '../../services/digests/subscription.service.js';
import { raw } from 'hono/html';
import { Layout } from '../layout/layout.js';

const CSRF_FIELD = '_csrf';

/** Sets time-zone fields still at UTC to the browser's zone; an external file so cached pages need no nonce. */
export const DIGEST_FORM_SCRIPT = `(function(){var z;try{z=Intl.DateTimeFormat().resolvedOptions().timeZone}catch(e){}if(!z)return;var l=document.querySelectorAll('input[data-browser-tz]');for(var i=0;i<l.length;i++){if(l[i].value==='UTC')l[i].value=z}})();`;

export const formCss = `.pb-form{display:grid;gap:.6rem;max-width:30rem}.pb-form label{display:grid;gap:.2rem;font-weight:600}
.pb-form input,.pb-form select{font:inherit;padding:.35rem .5rem}.pb-row{display:flex;gap:.75rem;flex-wrap:wrap}
.pb-form label.pb-choice{display:flex;gap:.5rem;align-items:center;font-weight:normal}.pb-form fieldset{display:grid;gap:.4rem}
.pb-problem{color:#b3261e}.pb-note{color:#555;font-size:.9rem}button{font:inherit;padding:.45rem .9rem;cursor:pointer}
.pb-signup{margin:1.25rem 0;padding:.5rem .75rem;border:1px solid #d5dbe3;border-radius:6px}.pb-signup summary{cursor:pointer;font-weight:600}.pb-signup form{margin-top:.5rem}
@media (prefers-color-scheme:dark){.pb-problem{color:#f2b8b5}.pb-note{color:#aaa}}`;

function hourLabel(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

function Problems(props: { problems?: readonly FieldProblem[] | undefined }) {
  if (!props.problems || props.problems.length === 0) return null;
  return (
    <ul class="pb-problem" role="alert">
      {props.problems.map((p) => (
        <li>{p.message}</li>
      ))}
    </ul>
  );
}

function ScheduleFields(props: { frequency: string; weekday: number; hour: number; timeZone: string; detectTimeZone: boolean; zoneList?: boolean }) {
  return (
    <>
      <div class="pb-row">
        <label>
          How often
          <select name="frequency">
            <option value="daily" selected={props.frequency === 'daily'}>
              Daily
            </option>
            <option value="weekly" selected={props.frequency === 'weekly'}>
              Weekly
            </option>
          </select>
        </label>
        <label>
          Day (weekly digests)
          <select name="weekday">
            {([1, 2, 3, 4, 5, 6, 7] as Weekday[]).map((d) => (
              <option value={String(d)} selected={d === props.weekday}>
                {WEEKDAY_NAMES[d]}
              </option>
            ))}
          </select>
        </label>
        <label>
          At (your local time)
          <select name="hour">
            {Array.from({ length: 24 }, (_, h) => (
              <option value={String(h)} selected={h === props.hour}>
                {hourLabel(h)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Time zone
        <input name="timeZone" id="pb-tz" value={props.timeZone} list={props.zoneList === false ? undefined : 'pb-tz-list'} autocomplete="off" required maxlength={64} data-browser-tz={props.detectTimeZone ? '' : undefined} />
      </label>
      {props.zoneList === false ? null : (
        <datalist id="pb-tz-list">
          {Intl.supportedValuesOf('timeZone').map((tz) => (
            <option value={tz} />
          ))}
        </datalist>
      )}
      {/* Defaults the zone to the browser's; without JavaScript the form says UTC. */}
      {props.detectTimeZone ? <script src="/assets/digest-form.js" defer></script> : null}
    </>
  );
}

function weekdayOf(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 7 ? n : DEFAULT_WEEKDAY;
}

export interface SubscribeFormValues {
  email?: string;
  list?: string;
  topic?: string;
  frequency?: string;
  weekday?: string;
  hour?: string;
  timeZone?: string;
}

/** The signed-in member, who may also choose the "for you" list (sent to their own address). */
export interface FormMember {
  email: string;
}

/**
 * The subscribe form. On its own page it offers every list; embedded (`fixedList`), the list is
 * the page's own (trending on the home page, the query on a search page, "for you") and only
 * the address and schedule are asked. `csrf` is null on pages served from the anonymous page
 * cache: an anonymous subscribe post needs no token (see isCsrfTokenExempt in members/mount).
 */
export function SubscribeForm(props: { csrf: string | null; values?: SubscribeFormValues; problems?: readonly FieldProblem[]; member?: FormMember | null; fixedList?: boolean }) {
  const v = props.values ?? {};
  const list = v.list === 'topic' || (v.list === 'for-you' && props.member) ? v.list : 'trending';
  const forYou = list === 'for-you';
  return (
    <form method="post" action="/digest/subscribe" class="pb-form">
      {props.csrf ? <input type="hidden" name={CSRF_FIELD} value={props.csrf} /> : null}
      <Problems problems={props.problems} />
      {forYou && props.fixedList ? (
        <p>
          Sent to <strong>{props.member?.email}</strong>, the address you sign in with.
        </p>
      ) : (
        <label>
          Email
          <input type="email" name="email" value={v.email ?? props.member?.email ?? ''} required={!forYou} autocomplete="email" maxlength={254} />
        </label>
      )}
      {props.fixedList ? (
        <>
          <input type="hidden" name="list" value={list} />
          {list === 'topic' ? <input type="hidden" name="topic" value={v.topic ?? ''} /> : null}
        </>
      ) : (
        <fieldset>
          <legend>Which papers</legend>
          <label class="pb-choice">
            <input type="radio" name="list" value="trending" checked={list === 'trending'} /> Trending (most upvoted, newest first)
          </label>
          <label class="pb-choice">
            <input type="radio" name="list" value="topic" checked={list === 'topic'} /> A topic (a saved search)
          </label>
          {props.member ? (
            <label class="pb-choice">
              <input type="radio" name="list" value="for-you" checked={forYou} /> Picked for you (learned from your upvotes and library; sent to {props.member.email})
            </label>
          ) : null}
          <label>
            Topic search
            <input name="topic" value={v.topic ?? ''} placeholder="e.g. heart representation learning" maxlength={200} />
          </label>
        </fieldset>
      )}
      <ScheduleFields frequency={v.frequency ?? 'daily'} weekday={weekdayOf(v.weekday)} hour={Number(v.hour ?? 8)} timeZone={v.timeZone ?? 'UTC'} detectTimeZone={!v.timeZone} zoneList={!props.fixedList} />
      <button type="submit">Subscribe</button>
      <p class="pb-note">We send a confirmation link first; nothing else arrives until you click it.</p>
    </form>
  );
}

/** The collapsed signup box pages embed below their list ("Get these papers by email"). */
export function DigestSignup(props: { summary: string; csrf: string | null; values: SubscribeFormValues; member?: FormMember | null }) {
  return (
    <details class="pb-signup">
      <style>{raw(formCss)}</style>
      <summary>{props.summary}</summary>
      <SubscribeForm csrf={props.csrf} values={props.values} member={props.member ?? null} fixedList />
    </details>
  );
}

export function SubscribePage(props: { csrf: string; values?: SubscribeFormValues; problems?: readonly FieldProblem[]; member?: FormMember | null }) {
  return (
    <Layout title="Get papers by email · Paperboy">
      <style>{raw(formCss)}</style>
      <h1>Get papers by email</h1>
      <SubscribeForm {...props} />
    </Layout>
  );
}

export function CheckInboxPage(props: { delivery: 'smtp' | 'outbox' }) {
  return (
    <Layout title="Check your inbox · Paperboy">
      <h1>{props.delivery === 'smtp' ? 'Check your inbox' : 'Subscription recorded'}</h1>
      {props.delivery === 'smtp' ? (
        <p>If the address can receive this digest, a confirmation link is on its way. Click it to start receiving papers; without it, nothing is sent.</p>
      ) : (
        <p class="notice">
          This server does not send mail (no mail server is set up). The confirmation message, with its link, is kept in the server's outbox, which the operator can read and pass on to you.
        </p>
      )}
      <p>
        <a href="/">Back to the papers</a>
      </p>
    </Layout>
  );
}

function scheduleText(s: SubscriptionView['schedule']): string {
  return `${s.frequency === 'daily' ? 'every day' : `every ${WEEKDAY_NAMES[s.weekday ?? DEFAULT_WEEKDAY]}`} at ${hourLabel(s.localHour)} (${s.timeZone})`;
}

/** GET of a confirmation link: shows what is being confirmed and asks for a click (link scanners do not click). */
export function ConfirmPage(props: { view: SubscriptionView; csrf: string; action: string }) {
  const { view } = props;
  return (
    <Layout title="Confirm your subscription · Paperboy">
      <style>{raw(formCss)}</style>
      <h1>Confirm your subscription</h1>
      {view.status === 'confirmed' ? (
        <p>
          <strong>{view.listName}</strong> is already confirmed for {view.email}.
        </p>
      ) : (
        <form method="post" action={props.action} class="pb-form">
          <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
          <p>
            Send <strong>{view.listName}</strong> to {view.email}, {scheduleText(view.schedule)}?
          </p>
          <button type="submit">Yes, start sending</button>
        </form>
      )}
    </Layout>
  );
}

export function ConfirmedPage(props: { view: SubscriptionView }) {
  return (
    <Layout title="Subscribed · Paperboy">
      <h1>You are subscribed</h1>
      <p>
        <strong>{props.view.listName}</strong> will arrive {scheduleText(props.view.schedule)}
        {props.view.nextDueAt ? `, starting ${new Date(props.view.nextDueAt).toUTCString()}` : ''}. Every digest has links to change the time or to unsubscribe.
      </p>
    </Layout>
  );
}

export function PreferencesPage(props: { view: SubscriptionView; csrf: string; token: string; saved?: boolean; problems?: readonly FieldProblem[] }) {
  const { view } = props;
  const live = view.status === 'confirmed' || view.status === 'pending';
  return (
    <Layout title="Digest preferences · Paperboy">
      <style>{raw(formCss)}</style>
      <h1>Digest preferences</h1>
      <p>
        <strong>{view.listName}</strong> for {view.email} — {live ? scheduleText(view.schedule) : view.status === 'bouncing' ? 'paused: mail to this address bounced' : 'unsubscribed'}.
      </p>
      {props.saved ? <p role="status">Saved.</p> : null}
      {live ? (
        <>
          <form method="post" action={`/digest/preferences/${props.token}`} class="pb-form">
            <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
            <Problems problems={props.problems} />
            <ScheduleFields frequency={view.schedule.frequency} weekday={view.schedule.weekday ?? DEFAULT_WEEKDAY} hour={view.schedule.localHour} timeZone={view.schedule.timeZone} detectTimeZone={false} />
            <button type="submit">Save</button>
          </form>
          <form method="post" action={`/digest/unsubscribe/${props.token}`} class="pb-form" style="margin-top:1.5rem">
            <button type="submit">Unsubscribe</button>
          </form>
        </>
      ) : (
        <p>
          <a href="/digest/subscribe">Subscribe again</a>
        </p>
      )}
    </Layout>
  );
}

/** GET of an unsubscribe link: changes nothing, asks for the click that POSTs. */
export function UnsubscribePage(props: { view: SubscriptionView; action: string }) {
  const { view } = props;
  return (
    <Layout title="Unsubscribe · Paperboy">
      <style>{raw(formCss)}</style>
      <h1>Unsubscribe</h1>
      {view.status === 'unsubscribed' ? (
        <p>
          {view.email} no longer receives <strong>{view.listName}</strong>.
        </p>
      ) : (
        <form method="post" action={props.action} class="pb-form">
          <p>
            Stop sending <strong>{view.listName}</strong> to {view.email}?
          </p>
          <button type="submit">Unsubscribe</button>
        </form>
      )}
    </Layout>
  );
}

export function UnsubscribedPage(props: { view: SubscriptionView }) {
  return (
    <Layout title="Unsubscribed · Paperboy">
      <h1>Unsubscribed</h1>
      <p>
        {props.view.email} will not receive <strong>{props.view.listName}</strong> any more. Changed your mind? <a href="/digest/subscribe">Subscribe again</a>.
      </p>
    </Layout>
  );
}

export function AdminDigestsPage(props: { runs: DigestRun[]; stats: { subscriptions: Record<string, number>; deliveries: Record<string, number> } }) {
  const cols = ['enqueued', 'sent', 'skipped', 'retried', 'failed', 'bounced', 'recovered', 'inDoubt'] as const;
  return (
    <Layout title="Digest runs · Paperboy">
      <style>{raw(`table{border-collapse:collapse}td,th{padding:.25rem .5rem;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}`)}</style>
      <h1>Digest runs</h1>
      <p>
        Subscriptions: {Object.entries(props.stats.subscriptions).map(([k, v]) => `${k} ${v}`).join(' · ')}
        <br />
        Digest deliveries: {Object.entries(props.stats.deliveries).map(([k, v]) => `${k} ${v}`).join(' · ')}
      </p>
      <table>
        <thead>
          <tr>
            <th>Started (UTC)</th>
            <th>Trigger</th>
            {cols.map((c) => (
              <th>{c === 'inDoubt' ? 'in doubt' : c}</th>
            ))}
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((r) => (
            <tr>
              <td>{r.startedAt.replace('T', ' ').slice(0, 19)}</td>
              <td>{r.trigger}</td>
              {cols.map((c) => (
                <td>{r[c]}</td>
              ))}
              <td>{r.finishedAt ? (r.error ?? '') : 'running or interrupted'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
