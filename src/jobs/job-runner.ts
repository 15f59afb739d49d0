/**
 * The one job runner: every background job (harvest, digests, search-index upkeep) is a name, a
 * schedule and `perform(signal)`, and this module owns what each used to repeat by hand: the
 * timer, the "already running" flag, cancellation, and catching and logging failures.
 *
 * Cluster jobs (the default) run once per schedule slot across every instance on the database:
 * an instance runs a slot only after claiming the job's lease for it (job-leases.service), renews
 * the lease while `perform` works, and records the slot as done when it ends. A holder that dies
 * stops renewing; once its lease runs out another instance claims the same slot and runs it.
 * Instance jobs (`scope: 'instance'`) are per process (each instance has its own search index)
 * and take no lease.
 *
 * A slot is never dropped because its job was busy when the timer fired: the job looks again as
 * soon as the run ends and catches up with the current slot. A nudge that arrives during a run
 * likewise gives one more run right after it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { JobLeaseService } from '../services/jobs/job-leases.service.js';

export type JobSchedule =
  /** Slots every `everyMs`, counted from the Unix epoch, so every instance agrees on them. */
  | { readonly everyMs: number }
  /** Slots at the times of a croner pattern (five or six fields), in the process's time zone. */
  | { readonly cron: string }
  /** One run when the runner starts (instance jobs only). */
  | { readonly once: 'at-start' };

export interface JobDefinition {
  /** Stable snake_case name; also the lease's and the run history's key. */
  readonly name: string;
  readonly schedule: JobSchedule;
  /** `cluster` (default): once per slot across all instances, under a lease. `instance`: in every process, no lease. */
  readonly scope?: 'cluster' | 'instance';
  /** Which runs go into the history: `all` (default), or only `failures` (frequent polls). */
  readonly history?: 'all' | 'failures';
  /** Run once more when the runner stops, after every other run has ended (a final snapshot). */
  readonly runOnStop?: boolean;
  /** What the failure log line says happens next; defaults to "it runs again at its next slot". */
  readonly retryHint?: string;
  /** Subscribes to "there is work now" events (instance jobs): each one runs the job soon. Returns an unsubscribe. */
  readonly wakeOn?: (nudge: () => void) => () => void;
  /** Does one run's work; a throw is a failed run. When `signal` aborts it should stop soon. */
  perform(signal: AbortSignal): Promise<unknown>;
}

export interface JobRunnerOptions {
  jobs: readonly JobDefinition[];
  leases: JobLeaseService;
  logger: Logger;
  /** Decides slots and lease times; tests pass a clock they move. Timers still run in real time. */
  clock?: () => Date;
  /** This instance's name in leases and runs; defaults to host:pid:random. */
  holder?: string;
  /** Lease length; defaults to the service's (JOB_LEASE_SECONDS). */
  leaseMs?: number;
  /** How often a holder renews its lease while it works; defaults to a third of the lease. */
  heartbeatMs?: number;
  /** Told of every run that ended on this instance (metrics). */
  onRunEnd?: (job: string, outcome: 'ok' | 'failed', seconds: number) => void;
}

export interface JobRunner {
  readonly holder: string;
  /** Arms every job's timer (and runs what is due now). */
  start(): void;
  /** Runs an instance job soon, or once more right after its current run. */
  nudge(name: string): void;
  /** Looks at every job now, runs what is due, and resolves when those runs have ended. */
  runDue(): Promise<void>;
  /** Cancels running work (its signal aborts), waits for it, gives leases back, then runs the `runOnStop` jobs. */
  stop(): Promise<void>;
}

/** Longest single timer; a longer wait is re-armed, so a clock that jumps is noticed within this. */
const MAX_TIMER_MS = 60_000;
/** After a failed claim (database unreachable), look again this soon. */
const CLAIM_RETRY_MS = 5_000;

interface JobState {
  readonly def: JobDefinition;
  readonly cron: Cron | null;
  timer: NodeJS.Timeout | undefined;
  checking: Promise<void> | null;
  running: Promise<void> | null;
  controller: AbortController | null;
  /** Look again once the current check or run ends. */
  again: boolean;
  nudged: boolean;
  /** Instance jobs: the newest slot run here (or skipped because the runner started in it). */
  lastSlot: number | null;
  ranOnce: boolean;
  unsubscribe: (() => void) | undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Expected failures (AppError: arXiv down, SMTP refused) are logged without a stack; anything else with one. */
function errorForLog(error: unknown): Record<string, unknown> {
  if (error instanceof AppError) return { message: error.message, code: error.code };
  if (error instanceof Error) return { message: error.message, code: (error as { code?: unknown }).code, stack: error.stack };
  return { message: String(error) };
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { leases, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? leases.leaseMs;
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(leaseMs / 3));
  let started = false;
  let stopped = false;
  let stopping: Promise<void> | undefined;

  const states = new Map<string, JobState>();
  for (const def of options.jobs) {
    if (states.has(def.name)) throw new Error(`two jobs are named ${def.name}`);
    if ('once' in def.schedule && def.scope !== 'instance') throw new Error(`${def.name}: a run at start is per instance; set scope: 'instance'`);
    // Paused and without a function, croner only computes times; it arms no timer of its own.
    if ('everyMs' in def.schedule && !(def.schedule.everyMs >= 1)) throw new Error(`${def.name}: everyMs must be at least 1, got ${def.schedule.everyMs}`);
    const cron = 'cron' in def.schedule ? new Cron(def.schedule.cron, { paused: true }) : null;
    states.set(def.name, { def, cron, timer: undefined, checking: null, running: null, controller: null, again: false, nudged: false, lastSlot: null, ranOnce: false, unsubscribe: undefined });
  }

  /** The slot `now` falls in (the latest scheduled time at or before it), or null for a run-at-start job. */
  function slotAt(state: JobState, now: Date): Date | null {
    const s = state.def.schedule;
    if ('everyMs' in s) return new Date(Math.floor(now.getTime() / s.everyMs) * s.everyMs);
    // croner leaves out a run at exactly the reference time; a millisecond later includes it.
    if (state.cron) return state.cron.previousRuns(1, new Date(now.getTime() + 1))[0] ?? null;
    return null;
  }

  function nextSlotAfter(state: JobState, now: Date): Date | null {
    const s = state.def.schedule;
    if ('everyMs' in s) return new Date((Math.floor(now.getTime() / s.everyMs) + 1) * s.everyMs);
    if (state.cron) return state.cron.nextRun(now);
    return null;
  }

  function arm(state: JobState, wakeAt: Date | null): void {
    clearTimeout(state.timer);
    state.timer = undefined;
    if (stopped || wakeAt === null) return;
    const delay = Math.min(Math.max(wakeAt.getTime() - clock().getTime(), 0), MAX_TIMER_MS);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (clock().getTime() >= wakeAt.getTime()) void check(state);
      else arm(state, wakeAt);
    }, delay);
    state.timer.unref();
  }

  /** Decides whether the job runs now and starts it; one check per job at a time. */
  function check(state: JobState): Promise<void> {
    if (stopped) return Promise.resolve();
    if (state.running || state.checking) {
      state.again = true;
      return state.checking ?? Promise.resolve();
    }
    state.again = false;
    state.checking = (async () => {
      const now = clock();
      let wakeAt = nextSlotAfter(state, now);
      const slot = slotAt(state, now);
      if (state.def.scope === 'instance') {
        const due = state.nudged || ('once' in state.def.schedule && !state.ranOnce) || (slot !== null && (state.lastSlot === null || slot.getTime() > state.lastSlot));
        if (due) {
          state.nudged = false;
          state.ranOnce = true;
          if (slot !== null) state.lastSlot = Math.max(state.lastSlot ?? 0, slot.getTime());
          startRun(state, slot, null);
        }
      } else {
        try {
          const claim = await leases.claim({ job: state.def.name, holder, slot, now, leaseMs });
          if (claim.claimed) {
            if (stopped) await leases.release({ job: state.def.name, holder, now: clock() });
            else startRun(state, slot, now);
          } else if (claim.retryAt && (wakeAt === null || claim.retryAt < wakeAt)) {
            // Held by another instance: if it dies, its lease runs out then and the slot is still to run.
            wakeAt = new Date(claim.retryAt.getTime() + 1);
          }
        } catch (error) {
          if (!stopped) logger.warn({ job: state.def.name, err: errorForLog(error) }, 'could not claim a job lease; trying again shortly');
          const retry = new Date(now.getTime() + Math.min(CLAIM_RETRY_MS, leaseMs));
          if (wakeAt === null || retry < wakeAt) wakeAt = retry;
        }
      }
      if (!state.running) arm(state, wakeAt);
    })()
      .catch((error: unknown) => logger.error({ job: state.def.name, err: errorForLog(error) }, 'job runner failed to look at a job'))
      .finally(() => {
        state.checking = null;
        if (state.again && !state.running) void check(state);
      });
    return state.checking;
  }

  /** `leasedAt`: when the lease was claimed (cluster jobs), null for an instance job. */
  function startRun(state: JobState, slot: Date | null, leasedAt: Date | null): void {
    clearTimeout(state.timer);
    state.timer = undefined;
    state.running = perform(state, slot, leasedAt).finally(() => {
      state.running = null;
      state.controller = null;
      // Catch up: a slot that began during the run, or a nudge that came in, runs now.
      void check(state);
    });
  }

  async function perform(state: JobState, slot: Date | null, leasedAt: Date | null, final = false): Promise<void> {
    const { def } = state;
    const job = def.name;
    const controller = new AbortController();
    if (!final) state.controller = controller;
    const startedAt = clock();
    const recordAll = (def.history ?? 'all') === 'all';
    let runId: number | null = null;
    if (recordAll) {
      runId = await leases.startRun({ job, holder, slot, startedAt }).catch((error: unknown) => {
        logger.warn({ job, err: errorForLog(error) }, 'could not record the start of a job run');
        return null;
      });
    }

    const leased = leasedAt !== null;
    let heartbeat: NodeJS.Timeout | undefined;
    if (leased) {
      let heldUntil = leasedAt.getTime() + leaseMs;
      const lose = (reason: string) => {
        if (controller.signal.aborted) return;
        logger.warn({ job, holder }, `${reason}; stopping this run`);
        controller.abort(new AppError('lease_lost', reason));
      };
      let beating = false;
      heartbeat = setInterval(() => {
        if (beating) return;
        beating = true;
        const now = clock();
        leases
          .renew({ job, holder, now, leaseMs })
          .then(
            (held) => {
              if (held) heldUntil = now.getTime() + leaseMs;
              else lose('another instance took this job over');
            },
            (error: unknown) => {
              logger.warn({ job, err: errorForLog(error) }, 'could not renew a job lease');
              if (clock().getTime() >= heldUntil) lose('the job lease ran out before it could be renewed');
            },
          )
          .finally(() => (beating = false));
      }, heartbeatMs);
      heartbeat.unref();
    }

    let failure: unknown = null;
    try {
      await def.perform(controller.signal);
    } catch (error) {
      failure = error;
    } finally {
      clearInterval(heartbeat);
    }
    // Asked to stop (the instance is stopping, or the lease was lost): whether `perform` threw or
    // returned early, its slot may be half done, so it is not marked done and the next holder runs it.
    const aborted = controller.signal.aborted;
    const interrupted = aborted && failure !== null;
    const finishedAt = clock();
    const outcome = failure === null ? 'ok' : 'failed';
    const error = interrupted ? `interrupted: ${errorMessage(controller.signal.reason)}` : failure !== null ? errorMessage(failure) : null;
    const fields = { job, slot: slot?.toISOString() ?? null, ms: finishedAt.getTime() - startedAt.getTime() };
    if (failure !== null && !interrupted) logger.warn({ ...fields, err: errorForLog(failure) }, `${job} failed; ${def.retryHint ?? 'it runs again at its next slot'}`);
    else if (aborted) logger.info({ ...fields, reason: errorMessage(controller.signal.reason) }, `${job} was interrupted`);
    else logger.debug(fields, `${job} finished`);
    options.onRunEnd?.(job, outcome, fields.ms / 1000);

    try {
      const end = { finishedAt, outcome, error: error === null ? null : error.slice(0, 2_000) } as const;
      if (runId !== null) await leases.finishRun(runId, job, end);
      else if (!recordAll && outcome === 'failed') await leases.recordRun({ job, holder, slot, startedAt, ...end });
      if (leased) await leases.release({ job, holder, now: finishedAt, ...(aborted ? {} : { finishedSlot: slot }) });
    } catch (recordError) {
      // The lease runs out by itself; the run stays "running" until an instance takes the lease over.
      logger.warn({ job, err: errorForLog(recordError) }, 'could not record the end of a job run');
    }
  }

  function stateOf(name: string): JobState {
    const state = states.get(name);
    if (!state) throw new Error(`no job named ${name}`);
    return state;
  }

  function nudge(name: string): void {
    const state = stateOf(name);
    state.nudged = true;
    // Deferred: the caller may be inside a transaction whose rows the run must see.
    setImmediate(() => void check(state));
  }

  return {
    holder,
    nudge,
    start() {
      if (started) return;
      started = true;
      for (const state of states.values()) {
        if (state.def.scope === 'instance') state.lastSlot = slotAt(state, clock())?.getTime() ?? null;
        state.unsubscribe = state.def.wakeOn?.(() => nudge(state.def.name));
        void check(state);
      }
    },
    async runDue() {
      await Promise.all([...states.values()].map((s) => check(s)));
      // A run that ends looks again (and may start the next one): wait until every job is idle.
      for (;;) {
        const pending = [...states.values()].flatMap((s) => [s.checking, s.running]).filter((p) => p !== null);
        if (pending.length === 0) return;
        await Promise.all(pending);
      }
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        for (const state of states.values()) {
          clearTimeout(state.timer);
          state.unsubscribe?.();
          state.controller?.abort(new AppError('interrupted', 'the instance is stopping'));
        }
        // A check in progress may still start a run; wait for both.
        for (const state of states.values()) {
          await state.checking;
          await state.running;
        }
        for (const state of states.values()) {
          if (!state.def.runOnStop) continue;
          await perform(state, null, null, true);
        }
      })();
      return stopping;
    },
  };
}
