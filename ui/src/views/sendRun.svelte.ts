import { toIpcError, type IpcError } from "../lib/api/ipc";
import {
  cancelCampaign,
  onSendEnded,
  onSendFailed,
  onSendProgress,
  pauseCampaign,
  resumeCampaign,
  retryCampaign,
  sendPlan,
  sendStatus,
  type UnlistenFn,
} from "../lib/api/send";
import type { Confirmation } from "../lib/bindings/Confirmation";
import type { Plan } from "../lib/bindings/Plan";
import type { SendProgress } from "../lib/bindings/SendProgress";
import type { SendSummary } from "../lib/bindings/SendSummary";

/** What a run shows before the backend's first answer: its size, nothing sent yet. */
function blank(campaign: number, planId: number, total: number): SendProgress {
  return {
    campaign_id: campaign,
    plan_id: planId,
    state: null,
    reason: null,
    per_minute: 0,
    eta_seconds: null,
    waiting_until: null,
    retrying_at: null,
    scheduled_at: null,
    interrupted: false,
    practice: false,
    total,
    queued: total,
    sending: 0,
    sent: 0,
    deferred: 0,
    failed: 0,
    unknown: 0,
  };
}

/** The rate and the waits mean something only while a run sends. */
const AT_REST = {
  per_minute: 0,
  eta_seconds: null,
  waiting_until: null,
  retrying_at: null,
} as const;

/**
 * One campaign's sending as the UI follows it. The app sends in the background; this listens
 * to its events for this campaign and asks it to pause, resume, cancel or retry. It lives in
 * App rather than in the Send view, so that leaving the view neither loses the progress nor
 * tempts anyone into sending again.
 */
export class SendRun {
  readonly campaign: number;
  // Replaced whole, a few times a second, never changed in place: no deep proxy needed.
  progress: SendProgress = $state.raw(blank(0, 0, 0));
  /** When a scheduled run starts, if known: a status read back does not carry it. */
  scheduledAt: string | null = $state(null);
  /**
   * Scheduled not for a time the user chose but for the hold (送信保留) after a send now: the
   * moment in which one click still takes the whole send back.
   */
  held = false;
  error: IpcError | null = $state(null);
  /** A pause or cancel that the process sending the run has yet to act on. */
  requested: "pause" | "cancel" | null = $state(null);
  /** An error stopped the background send while the run still says `sending`. */
  stalled = $state(false);
  /** A command is on its way; the controls wait for its answer. */
  busy = $state(false);
  /** Counts the times the run came to rest: the problem list is read again on each. */
  settled = $state(0);
  /** The first answer is in: the plan started (or was refused), or the status was read. */
  readonly ready: Promise<void>;
  #planId: number | null;
  /** Whether an event arrived while a command was on its way: it is newer than the answer. */
  #heard = false;
  readonly #listening: Promise<UnlistenFn[]>;

  private constructor(
    progress: SendProgress,
    planId: number | null,
    first: () => Promise<SendProgress>,
  ) {
    this.campaign = progress.campaign_id;
    this.progress = progress;
    this.#planId = planId;
    this.#listening = Promise.all([
      onSendProgress((p) => this.#onProgress(p)),
      onSendEnded((s) => this.#onEnded(s)),
      onSendFailed((id, e) => this.#onFailed(id, e)),
    ]);
    // Listening comes first, so that no event of a send that starts at once is missed.
    this.ready = this.#listening.then(
      () => this.#follow(first),
      (e: unknown) => {
        this.error = toIpcError(e);
      },
    );
  }

  /**
   * Starts a plan as the user confirmed it (the Review view's point and call), now or at `at`
   * (RFC 3339); `held`: `at` is the expected end of the hold, which the backend adds to a send
   * now.
   */
  static start(plan: Plan, confirmation: Confirmation, at: string | null, held = false): SendRun {
    const run = new SendRun(blank(plan.campaign_id, plan.id, plan.recipients.length), plan.id, () =>
      sendPlan(plan.id, confirmation, held ? null : at),
    );
    run.scheduledAt = at;
    run.held = held;
    return run;
  }

  /** Follows a campaign started before: from History, or after the start-up question. */
  static attach(campaign: number, scheduledAt: string | null = null): SendRun {
    const run = new SendRun(blank(campaign, 0, 0), null, () => sendStatus(campaign));
    run.scheduledAt = scheduledAt;
    return run;
  }

  /** Starting, or sending: another campaign had better wait. */
  get active(): boolean {
    const state = this.progress.state;
    return (state === null && this.error === null) || (state === "sending" && !this.stalled);
  }

  /** In its hold: starting, or waiting for the hold to end; nothing has been sent. */
  get holding(): boolean {
    const state = this.progress.state;
    return this.held && this.error === null && (state === null || state === "scheduled");
  }

  /**
   * Whether those it did not reach may be sent to again: only a run at rest (a sending one
   * picks up its deferred recipients by itself), and not one the user cancelled.
   */
  get retryable(): boolean {
    const state = this.progress.state;
    return state === "paused" || state === "finished";
  }

  pause(): Promise<void> {
    return this.#request("pause");
  }

  async cancel(): Promise<void> {
    // Asked for while the plan is still being started (a hold can be cancelled at once): the
    // run has to exist first. One that could not be started has nothing to cancel.
    await this.ready;
    if (this.progress.state !== null) await this.#request("cancel");
  }

  /** Continues a paused or stopped run, or starts a scheduled one now. */
  resume(): Promise<void> {
    return this.#follow(() => resumeCampaign(this.campaign), true);
  }

  /** Sends again to the failed and deferred; with `unknown`, to the unknown ones as well. */
  retry(unknown: boolean): Promise<void> {
    return this.#follow(() => retryCampaign(this.campaign, unknown), true);
  }

  /** Stops following; the campaign itself goes on sending in the background. */
  dispose(): void {
    void this.#listening.then(
      (stops) => stops.forEach((stop) => stop()),
      () => {},
    );
  }

  /**
   * A command answered with the run's progress. `launched`: it set a process sending the run,
   * whose status may still read `paused` until that process takes it up; its events follow.
   */
  async #follow(command: () => Promise<SendProgress>, launched = false): Promise<void> {
    await this.#attempt(async () => {
      const progress = await command();
      if (launched) this.stalled = false;
      if (!this.#heard) this.#show(launched ? { ...progress, state: "sending" } : progress);
    });
  }

  async #request(kind: "pause" | "cancel"): Promise<void> {
    await this.#attempt(async () => {
      const run = await (kind === "pause" ? pauseCampaign : cancelCampaign)(this.campaign);
      // A run being sent stops within a moment and says so with `send-ended`.
      if (run.state === "sending") {
        if (this.progress.state === "sending") this.requested = kind;
        return;
      }
      this.#show({ ...this.progress, ...AT_REST, state: run.state, reason: run.reason });
    });
  }

  async #attempt(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.#heard = false;
    try {
      await action();
    } catch (e) {
      this.error = toIpcError(e);
    } finally {
      this.busy = false;
    }
  }

  #show(progress: SendProgress): void {
    this.progress = progress;
    this.#planId = progress.plan_id;
    // The backend knows when a scheduled run starts and whether a `sending` one has stopped.
    if (progress.scheduled_at) this.scheduledAt = progress.scheduled_at;
    if (progress.interrupted) this.stalled = true;
    if (progress.state !== "sending") {
      this.requested = null;
      this.settled += 1;
    }
  }

  #onProgress(progress: SendProgress): void {
    if (progress.campaign_id !== this.campaign) return;
    this.#heard = true;
    this.stalled = false;
    this.#show(progress);
  }

  #onEnded(summary: SendSummary): void {
    if (summary.campaign_id !== this.campaign) return;
    this.#heard = true;
    this.#show({ ...this.progress, ...summary, ...AT_REST });
  }

  #onFailed(planId: number, error: IpcError): void {
    if (planId !== this.#planId) return;
    this.#heard = true;
    this.error = error;
    this.stalled = true;
  }
}
