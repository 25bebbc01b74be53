export { default as MailEditor } from "./MailEditor.svelte";
export { default as SubjectEditor } from "./SubjectEditor.svelte";
export { mergeFieldsIn } from "./mergeField";
export { cleanPastedHtml } from "./paste";
