import { open } from "@tauri-apps/plugin-dialog";
import type { CreatedCampaign } from "../bindings/CreatedCampaign";
import type { MailPreview } from "../bindings/MailPreview";
import type { MailTemplate } from "../bindings/MailTemplate";
import type { MergeFields } from "../bindings/MergeFields";
import type { NewCampaign } from "../bindings/NewCampaign";
import type { OwnFile } from "../bindings/OwnFile";
import type { StoredFile } from "../bindings/StoredFile";
import type { StoredImage } from "../bindings/StoredImage";
import type { TestResult } from "../bindings/TestResult";
import type { TestSend } from "../bindings/TestSend";
import type { Confirmation } from "../bindings/Confirmation";
import { call } from "./ipc";

/** The images a mail body may show inline. */
export const IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "gif"];

/** Checks the draft against its list and saves it as a campaign; says what it found. */
export function createCampaign(draft: NewCampaign): Promise<CreatedCampaign> {
  return call("create_campaign", { draft });
}

/** What saving the draft would find, without saving it: shown before going on. */
export function surveyCampaign(draft: NewCampaign): Promise<CreatedCampaign> {
  return call("survey_campaign", { draft });
}

/**
 * The merge fields of a list: those offered for inserting, in the user's language, and every
 * name a mail may use.
 */
export function mergeFields(list: string, locale: string): Promise<MergeFields> {
  return call("merge_fields", { list, locale });
}

/** A test send of the mail being written, to confirm: its addresses, subject and digest. */
export function prepareTestSend(
  draft: NewCampaign,
  to: string[],
  sample: string | null,
  locale: string,
): Promise<TestSend> {
  return call("prepare_test_send", { draft, to, sample, locale });
}

/** Sends the confirmed test; refused unless the confirmation is of exactly this test. */
export function testSend(
  draft: NewCampaign,
  to: string[],
  sample: string | null,
  locale: string,
  confirmation: Confirmation,
): Promise<TestResult[]> {
  return call("test_send", { draft, to, sample, locale, confirmation });
}

/** One recipient's mail exactly as it would be sent; `null` asks for the first recipient. */
export function previewMail(draft: NewCampaign, address: string | null): Promise<MailPreview> {
  return call("preview_mail", { draft, address });
}

/** Which file a per-recipient path pattern finds for each recipient of the list. */
export function ownFiles(list: string, pattern: string): Promise<OwnFile[]> {
  return call("own_files", { list, pattern });
}

/** Copies an image into the app's store, for the mail to show by `cid:`. */
export function storeImage(path: string): Promise<StoredImage> {
  return call("store_image", { path });
}

/** Display URLs of stored images, by content id. */
export function imageUrls(images: StoredFile[]): Promise<Record<string, string>> {
  return call("image_urls", { images });
}

/** The HTML as a mail may carry it. */
export function sanitizeHtml(html: string): Promise<string> {
  return call("sanitize_html", { html });
}

/** The user's own templates first, then the starters shipped with the app. */
export function listTemplates(): Promise<MailTemplate[]> {
  return call("list_templates");
}

/** Saves under the template's name, replacing an own template of that name. */
export async function saveTemplate(template: MailTemplate): Promise<void> {
  await call<null>("save_template", { template });
}

export function duplicateTemplate(name: string, newName: string): Promise<MailTemplate> {
  return call("duplicate_template", { name, newName });
}

export async function deleteTemplate(name: string): Promise<void> {
  await call<null>("delete_template", { name });
}

/** Keeps the mail being written, so that nothing is lost if the app closes. */
export async function saveDraft(draft: NewCampaign): Promise<void> {
  await call<null>("save_draft", { draft });
}

export function loadDraft(): Promise<NewCampaign | null> {
  return call("load_draft");
}

export async function discardDraft(): Promise<void> {
  await call<null>("discard_draft");
}

/** Asks for files every recipient gets; an empty list when the dialog was cancelled. */
export async function pickAttachments(): Promise<string[]> {
  return (await open({ multiple: true, directory: false })) ?? [];
}

/** Asks for the folder that holds each recipient's own file; `null` when cancelled. */
export function pickFolder(): Promise<string | null> {
  return open({ multiple: false, directory: true });
}

/** Asks for an image for the mail body; `null` when cancelled. */
export function pickImage(filterName: string): Promise<string | null> {
  return open({
    multiple: false,
    directory: false,
    filters: [{ name: filterName, extensions: IMAGE_EXTENSIONS }],
  });
}
