import { previewMail } from "../../lib/api/compose";
import { toIpcError, type IpcError } from "../../lib/api/ipc";
import type { MailPreview } from "../../lib/bindings/MailPreview";
import type { NewCampaign } from "../../lib/bindings/NewCampaign";
import { Debounced } from "./debounce";

/** A pause in typing long enough to be worth building the mail again. */
export const PREVIEW_DELAY = 400;

/**
 * One recipient's mail as the backend would send it, following the draft. The last good mail
 * stays while a newer one loads or while the draft does not build, so the view does not flicker
 * at every keystroke.
 */
export class PreviewState {
  mail = $state.raw<MailPreview | null>(null);
  error = $state.raw<IpcError | null>(null);
  busy = $state(false);
  /** The draft lacks a list, subject or body, so there is nothing to build yet. */
  waiting = $state(true);

  #draft: NewCampaign | null = null;
  #list: string | null = null;
  #address: string | null = null;
  /** Counts requests, so that an answer overtaken by a newer request is dropped. */
  #asked = 0;
  #debounce = new Debounced(PREVIEW_DELAY);

  /** Follows the draft after a pause; `null` while it is too incomplete to build. */
  update(draft: NewCampaign | null): void {
    // Another list has other recipients: start again from its first.
    if (draft && draft.list !== this.#list) {
      this.#list = draft.list;
      this.#address = null;
    }
    this.#draft = draft;
    this.waiting = draft === null;
    if (draft === null) {
      this.#stop();
      this.error = null;
      return;
    }
    this.busy = true;
    this.#debounce.run(() => void this.#fetch());
  }

  /** Shows another recipient's mail at once. */
  show(address: string): void {
    this.#address = address;
    this.#debounce.cancel();
    void this.#fetch();
  }

  /** The recipient `by` places after (or before) the one shown, if there is one. */
  neighbour(by: 1 | -1): string | null {
    if (!this.mail) return null;
    const { recipients, address } = this.mail;
    return recipients[recipients.indexOf(address) + by] ?? null;
  }

  dispose(): void {
    this.#stop();
  }

  #stop(): void {
    this.#debounce.cancel();
    this.#asked += 1;
    this.busy = false;
  }

  async #fetch(): Promise<void> {
    const draft = this.#draft;
    if (!draft) return;
    const asked = ++this.#asked;
    this.busy = true;
    try {
      const mail = await previewMail(draft, this.#address);
      if (asked !== this.#asked) return;
      this.mail = mail;
      this.error = null;
    } catch (e) {
      if (asked !== this.#asked) return;
      this.error = toIpcError(e);
    } finally {
      if (asked === this.#asked) this.busy = false;
    }
  }
}
