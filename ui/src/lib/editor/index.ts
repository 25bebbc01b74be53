export { default as MailEditor } from "./MailEditor.svelte";
export { mergeFieldsIn } from "./mergeField";
export { cleanPastedHtml } from "./paste";
