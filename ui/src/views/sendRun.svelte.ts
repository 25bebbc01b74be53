import { toIpcError, type IpcError } from "../lib/api/ipc";
import { sendPlan } from "../lib/api/send";
import type { Plan } from "../lib/bindings/Plan";
import type { SendProgress } from "../lib/bindings/SendProgress";
import type { SendSummary } from "../lib/bindings/SendSummary";
import { etaSeconds } from "../lib/format";

/**
 * One send of a confirmed plan. It lives in App rather than in the Send view, so that
 * leaving the view neither loses the progress nor tempts anyone into sending again.
 */
export class SendRun {
  readonly campaign: number;
  progress: SendProgress = $state({
    total: 0,
    done: 0,
    sent: 0,
    failed: 0,
    deferred: 0,
    unknown: 0,
    current: null,
  });
  eta: number | null = $state(null);
  summary: SendSummary | null = $state(null);
  error: IpcError | null = $state(null);
  readonly finished: Promise<void>;
  #startedAt = Date.now();

  constructor(plan: Plan) {
    this.campaign = plan.campaign_id;
    this.progress.total = plan.recipients.length;
    this.finished = this.#run(plan);
  }

  get running(): boolean {
    return this.summary === null && this.error === null;
  }

  async #run(plan: Plan): Promise<void> {
    try {
      const summary = await sendPlan(plan.id, { digest: plan.digest }, (p) => this.#update(p));
      // The last progress message may precede the final replies; the summary is authoritative.
      const { total, sent, failed, deferred, unknown } = summary;
      this.progress = {
        total,
        done: sent + failed + deferred + unknown,
        sent,
        failed,
        deferred,
        unknown,
        current: null,
      };
      this.eta = null;
      this.summary = summary;
    } catch (e) {
      this.progress.current = null;
      this.eta = null;
      this.error = toIpcError(e);
    }
  }

  #update(progress: SendProgress): void {
    this.progress = progress;
    this.eta = etaSeconds(this.#startedAt, Date.now(), progress.done, progress.total);
  }
}
