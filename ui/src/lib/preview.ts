/** The merge field for the recipient's name, as the user types it. */
export const NAME_TOKEN = "{{name}}";

/** Same reading as the backend: `{{ field }}`, inner spaces ignored. */
const FIELD = /\{\{([^}]*)\}\}/g;

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

/**
 * Fills the merge fields for one recipient. Values are inserted as text, never as markup,
 * exactly as when the mail is built; an unknown field is left visible so the typo shows.
 */
export function mergeFields(html: string, values: { name: string; email: string }): string {
  return html.replace(FIELD, (whole, field: string) => {
    const key = field.trim();
    return key === "name" || key === "email" ? escapeHtml(values[key]) : whole;
  });
}
