import type { Charset } from "../../lib/bindings/Charset";
import type { MailTemplate } from "../../lib/bindings/MailTemplate";
import type { NewCampaign } from "../../lib/bindings/NewCampaign";
import type { StoredFile } from "../../lib/bindings/StoredFile";
import type { Draft } from "../draft";
import { joinPattern, splitPattern } from "./paths";

function orNull(value: string): string | null {
  return value.trim() === "" ? null : value;
}

/** Everything the compose view edits, in the shape the inputs bind to. */
export class ComposeForm {
  list = $state("");
  subject = $state("");
  from = $state("");
  html = $state("");
  /** The plain-text part; `null` has the backend make it from the HTML. */
  text = $state<string | null>(null);
  replyTo = $state("");
  unsubscribe = $state("");
  charset = $state<Charset>("utf-8");
  attachments = $state<string[]>([]);
  images = $state<StoredFile[]>([]);
  /** How the editor shows `images`, by content id. */
  imageUrls = $state<Record<string, string>>({});
  /** Each recipient's own file: the folder, and a file name holding merge fields. */
  folder = $state("");
  pattern = $state("");
  /** The autosaved draft is offered once per session: on the first visit to the view. */
  restoreChecked = false;

  /** Whether there is writing that loading a template would replace. */
  get written(): boolean {
    return this.subject.trim() !== "" || this.html !== "" || (this.text ?? "").trim() !== "";
  }

  /** Whether there is nothing worth keeping as a draft. */
  get blank(): boolean {
    return (
      !this.written && this.attachments.length === 0 && this.folder === "" && this.pattern === ""
    );
  }

  /** Whether the mail can be previewed and submitted; finer checks are the backend's. */
  get complete(): boolean {
    return this.list !== "" && this.subject.trim() !== "" && this.html.trim() !== "";
  }

  /** Takes the parts App keeps: App may have changed them since (the list, after an import). */
  adopt(draft: Draft): void {
    this.list = draft.list;
    this.subject = draft.subject;
    this.from = draft.from;
    this.html = draft.html;
  }

  keepIn(draft: Draft): void {
    draft.list = this.list;
    draft.subject = this.subject;
    draft.from = this.from;
    draft.html = this.html;
  }

  campaign(): NewCampaign {
    return {
      list: this.list,
      subject: this.subject,
      html: this.html,
      text: this.text,
      from: orNull(this.from),
      reply_to: orNull(this.replyTo),
      unsubscribe: orNull(this.unsubscribe),
      charset: this.charset,
      attachments: $state.snapshot(this.attachments),
      images: $state.snapshot(this.images),
      attach_each: joinPattern(this.folder, this.pattern),
    };
  }

  /**
   * Fills the form from an autosaved draft. A list already chosen is kept: it was handed over
   * by an import the user has just finished, and is what they came to write to.
   */
  restore(saved: NewCampaign): void {
    if (this.list === "") this.list = saved.list;
    this.subject = saved.subject;
    this.html = saved.html;
    this.text = saved.text;
    this.from = saved.from ?? "";
    this.replyTo = saved.reply_to ?? "";
    this.unsubscribe = saved.unsubscribe ?? "";
    this.charset = saved.charset;
    this.attachments = [...saved.attachments];
    this.images = [...saved.images];
    this.imageUrls = {};
    ({ folder: this.folder, name: this.pattern } = splitPattern(saved.attach_each ?? ""));
  }

  /** Starts a new mail to the same list. */
  clear(): void {
    this.restore({
      list: this.list,
      subject: "",
      html: "",
      text: null,
      from: null,
      reply_to: null,
      unsubscribe: null,
      charset: "utf-8",
      attachments: [],
      images: [],
      attach_each: null,
    });
  }

  /** Takes a template's wording and images; the caller fetches how to show the images. */
  applyTemplate(template: MailTemplate): void {
    this.subject = template.subject;
    this.html = template.html;
    this.text = template.text;
    this.images = [...template.images];
    if (template.attach_each === null) {
      this.folder = "";
      this.pattern = "";
      return;
    }
    const { folder, name } = splitPattern(template.attach_each);
    if (folder !== "") this.folder = folder;
    this.pattern = name;
  }

  template(name: string): MailTemplate {
    return {
      name,
      subject: this.subject,
      html: this.html,
      text: this.text,
      attach_each: orNull(this.pattern.trim()),
      images: $state.snapshot(this.images),
      starter: false,
    };
  }
}

const forms = new WeakMap<Draft, ComposeForm>();

/**
 * The form for App's draft, the same one on every visit. App keeps only the list, subject,
 * sender and body; tied to its draft, the rest (attachments, settings) survives too.
 */
export function formFor(draft: Draft): ComposeForm {
  let form = forms.get(draft);
  if (!form) {
    form = new ComposeForm();
    forms.set(draft, form);
  }
  return form;
}
